<?php
/**
 * Plugin Name:       Copydesk Companion
 * Description:       Helps the Copydesk editorial workstation work with this site: it finds the posts Copydesk pushed (so a push whose answer was lost never makes a second post), tells Copydesk whether the login header reaches WordPress, shows comment votes to Copydesk and lets it fetch only the comments changed since its last look.
 * Version:           0.2.0
 * Requires at least: 5.6
 * Requires PHP:      7.4
 * Author:            The Copydesk developers
 * License:           GPL-3.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-3.0.html
 * Text Domain:       copydesk-companion
 *
 * Install: copy this one file to wp-content/plugins/ (or wp-content/mu-plugins/) and activate it.
 * Copydesk works without it too; see the notes of each feature below for what it adds.
 *
 * What it registers, all over the REST API:
 *
 * 1. The post meta "copydesk_uid": the unique id of the Copydesk piece a post was made from. Copydesk
 *    sends it with every post it creates. Readable in REST (it is not secret); writable only by users
 *    who may edit that post.
 * 2. The query parameter "copydesk_uid" on GET /wp/v2/posts: finds the post made from one piece, in any
 *    status the user may see. When the answer to a create was lost on the way, Copydesk asks this
 *    before trying again. (Without the plugin Copydesk puts a hidden HTML comment with the id at the
 *    end of the content and searches for that instead.)
 * 3. GET /copydesk/v1/status: the plugin's version, and whether the request reached WordPress with an
 *    Authorization header. Some Apache/FastCGI set-ups drop that header; WordPress then treats every
 *    request as anonymous and a right password looks wrong. Copydesk's "Check connection" uses this to
 *    tell the two apart. It never echoes the header or any credential. It also says which of the
 *    features below are present, and whether the signed-in user may moderate every comment.
 * 4. The comment meta "wpdiscuz_votes" in REST (read-only): the votes that wpDiscuz and similar plugins
 *    keep per comment. WordPress keeps no votes itself; with this, Copydesk can sort by most voted.
 * 5. The comment meta "copydesk_changed" (a Unix time, read-only), set whenever a comment's status, text
 *    or votes change, and the query parameter "copydesk_changed_after" on GET /wp/v2/comments. WordPress
 *    records no modification time for comments; with this, a sync asks for the comments changed since
 *    the last one in one request. (Without it Copydesk compares the lists of held, spam and trashed
 *    comments instead.)
 * 6. GET /copydesk/v1/deleted-comments?since=<Unix time>: the ids of comments deleted for good since
 *    then (a log of the last 60 days, at most 10,000 ids; no content, no author), and whether the log
 *    reaches back that far. Without it Copydesk lists the ids of every comment to find the gone ones.
 */

declare(strict_types=1);

if (!defined('ABSPATH')) {
    exit;
}

const COPYDESK_COMPANION_VERSION = '0.2.0';
const COPYDESK_COMPANION_UID_META = 'copydesk_uid';
const COPYDESK_COMPANION_VOTES_META = 'wpdiscuz_votes';
const COPYDESK_COMPANION_CHANGED_META = 'copydesk_changed';
const COPYDESK_COMPANION_DELETED_OPTION = 'copydesk_deleted_comments';
const COPYDESK_COMPANION_PRUNED_OPTION = 'copydesk_deleted_comments_pruned';
const COPYDESK_COMPANION_UID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * Whether a value is a piece uid as Copydesk makes them (a lower-case UUID).
 */
function copydesk_companion_is_uid($value): bool
{
    return is_string($value) && preg_match('/' . COPYDESK_COMPANION_UID_PATTERN . '/', $value) === 1;
}

/**
 * 1. The "copydesk_uid" post meta.
 */
function copydesk_companion_register_meta(): void
{
    register_post_meta(
        'post',
        COPYDESK_COMPANION_UID_META,
        array(
            'type' => 'string',
            'description' => 'The id of the Copydesk piece this post was made from.',
            'single' => true,
            'default' => '',
            'show_in_rest' => array(
                'schema' => array(
                    'type' => 'string',
                    'pattern' => '(' . COPYDESK_COMPANION_UID_PATTERN . ')|^$',
                ),
            ),
            'sanitize_callback' => static function ($value) {
                $value = strtolower(trim((string) $value));
                return copydesk_companion_is_uid($value) ? $value : '';
            },
            'auth_callback' => static function ($allowed, $meta_key, $post_id) {
                return current_user_can('edit_post', (int) $post_id);
            },
        )
    );
}
add_action('init', 'copydesk_companion_register_meta');

/**
 * 2. GET /wp/v2/posts?copydesk_uid=<uid>
 */
add_filter(
    'rest_post_collection_params',
    static function (array $params): array {
        $params['copydesk_uid'] = array(
            'description' => 'Limit the result to the post made from this Copydesk piece.',
            'type' => 'string',
            'pattern' => COPYDESK_COMPANION_UID_PATTERN,
        );
        return $params;
    }
);

add_filter(
    'rest_post_query',
    static function (array $args, WP_REST_Request $request): array {
        $uid = $request->get_param('copydesk_uid');
        if (!copydesk_companion_is_uid($uid)) {
            return $args;
        }
        $meta_query = isset($args['meta_query']) && is_array($args['meta_query']) ? $args['meta_query'] : array();
        $meta_query[] = array(
            'key' => COPYDESK_COMPANION_UID_META,
            'value' => $uid,
            'compare' => '=',
        );
        $args['meta_query'] = $meta_query;
        return $args;
    },
    10,
    2
);

/**
 * 3. GET /copydesk/v1/status
 */
function copydesk_companion_status(WP_REST_Request $request): WP_REST_Response
{
    $received = isset($_SERVER['PHP_AUTH_USER'])
        || !empty($_SERVER['HTTP_AUTHORIZATION'])
        || !empty($_SERVER['REDIRECT_HTTP_AUTHORIZATION'])
        || $request->get_header('authorization') !== null;
    return new WP_REST_Response(
        array(
            'plugin' => 'copydesk-companion',
            'version' => COPYDESK_COMPANION_VERSION,
            'features' => array('uid-meta', 'uid-query', 'comment-votes', 'comment-changes', 'comment-deletions'),
            'authorization_received' => $received,
            'user_id' => get_current_user_id(),
            'user_name' => wp_get_current_user()->display_name,
            'can_moderate_comments' => current_user_can('moderate_comments'),
        )
    );
}

add_action(
    'rest_api_init',
    static function (): void {
        register_rest_route(
            'copydesk/v1',
            '/status',
            array(
                'methods' => WP_REST_Server::READABLE,
                'callback' => 'copydesk_companion_status',
                'permission_callback' => '__return_true',
            )
        );
    }
);

/**
 * 4. The "wpdiscuz_votes" comment meta, readable in REST (never writable through it).
 */
function copydesk_companion_register_comment_meta(): void
{
    if (!registered_meta_key_exists('comment', COPYDESK_COMPANION_VOTES_META)) {
        register_meta(
            'comment',
            COPYDESK_COMPANION_VOTES_META,
            array(
                'type' => 'integer',
                'description' => 'Votes of the comment (up votes minus down votes), as voting plugins keep them.',
                'single' => true,
                'default' => 0,
                'show_in_rest' => true,
                'auth_callback' => '__return_false',
            )
        );
    }
    register_meta(
        'comment',
        COPYDESK_COMPANION_CHANGED_META,
        array(
            'type' => 'integer',
            'description' => 'When the status, text or votes of the comment last changed (Unix time).',
            'single' => true,
            'default' => 0,
            'show_in_rest' => true,
            'auth_callback' => '__return_false',
        )
    );
}
add_action('init', 'copydesk_companion_register_comment_meta');

/**
 * 5. Stamp a comment whenever it changes, and GET /wp/v2/comments?copydesk_changed_after=<Unix time>.
 */
function copydesk_companion_stamp_comment($comment_id, $status = ''): void
{
    if ($status === 'delete') {
        return; // wp_delete_comment() says so before it deletes: a stamp would outlive the comment
    }
    update_comment_meta((int) $comment_id, COPYDESK_COMPANION_CHANGED_META, time());
}
add_action('wp_set_comment_status', 'copydesk_companion_stamp_comment', 10, 2);
add_action('edit_comment', 'copydesk_companion_stamp_comment');

function copydesk_companion_votes_changed($meta_id, $comment_id, $meta_key): void
{
    if ($meta_key === COPYDESK_COMPANION_VOTES_META) {
        copydesk_companion_stamp_comment($comment_id);
    }
}
add_action('added_comment_meta', 'copydesk_companion_votes_changed', 10, 3);
add_action('updated_comment_meta', 'copydesk_companion_votes_changed', 10, 3);
add_action('deleted_comment_meta', 'copydesk_companion_votes_changed', 10, 3);

add_filter(
    'rest_comment_collection_params',
    static function (array $params): array {
        $params['copydesk_changed_after'] = array(
            'description' => 'Limit the result to comments whose status, text or votes changed at or after this Unix time.',
            'type' => 'integer',
            'minimum' => 0,
        );
        return $params;
    }
);

add_filter(
    'rest_comment_query',
    static function (array $args, WP_REST_Request $request): array {
        $since = $request->get_param('copydesk_changed_after');
        if ($since === null || $since === '') {
            return $args;
        }
        $meta_query = isset($args['meta_query']) && is_array($args['meta_query']) ? $args['meta_query'] : array();
        $meta_query[] = array(
            'key' => COPYDESK_COMPANION_CHANGED_META,
            'value' => (int) $since,
            'compare' => '>=',
            'type' => 'NUMERIC',
        );
        $args['meta_query'] = $meta_query;
        return $args;
    },
    10,
    2
);

/**
 * 6. The log of deleted comments, and GET /copydesk/v1/deleted-comments?since=<Unix time>.
 */
function copydesk_companion_comment_deleted($comment_id): void
{
    $log = get_option(COPYDESK_COMPANION_DELETED_OPTION, array());
    if (!is_array($log)) {
        $log = array();
    }
    $now = time();
    $log[(string) (int) $comment_id] = $now;
    $pruned = (int) get_option(COPYDESK_COMPANION_PRUNED_OPTION, 0);
    asort($log);
    while ($log && (count($log) > 10000 || reset($log) < $now - 60 * DAY_IN_SECONDS)) {
        $pruned = max($pruned, (int) reset($log));
        unset($log[key($log)]);
    }
    update_option(COPYDESK_COMPANION_PRUNED_OPTION, $pruned, false);
    update_option(COPYDESK_COMPANION_DELETED_OPTION, $log, false);
}
add_action('delete_comment', 'copydesk_companion_comment_deleted');

function copydesk_companion_deleted_comments(WP_REST_Request $request): WP_REST_Response
{
    $since = (int) $request->get_param('since');
    $log = get_option(COPYDESK_COMPANION_DELETED_OPTION, array());
    $ids = array();
    foreach (is_array($log) ? $log : array() as $id => $when) {
        if ((int) $when >= $since) {
            $ids[] = (int) $id;
        }
    }
    sort($ids);
    return new WP_REST_Response(
        array(
            'ids' => $ids,
            'complete' => $since > (int) get_option(COPYDESK_COMPANION_PRUNED_OPTION, 0),
        )
    );
}

add_action(
    'rest_api_init',
    static function (): void {
        register_rest_route(
            'copydesk/v1',
            '/deleted-comments',
            array(
                'methods' => WP_REST_Server::READABLE,
                'callback' => 'copydesk_companion_deleted_comments',
                'permission_callback' => static function (): bool {
                    return current_user_can('edit_posts');
                },
                'args' => array(
                    'since' => array('type' => 'integer', 'minimum' => 0, 'required' => true),
                ),
            )
        );
    }
);
