<?php
/**
 * Plugin Name:       Copydesk Companion
 * Description:       Helps the Copydesk editorial workstation work with this site: it finds the posts Copydesk pushed (so a push whose answer was lost never makes a second post), tells Copydesk whether the login header reaches WordPress, shows comment votes to Copydesk, lets it fetch only the comments changed since its last look, and keeps the editorial review of each post (its state, the submitted version and a timeline).
 * Version:           0.3.0
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
 * 7. The editorial review (see the section "7." below): a review state ("submitted",
 *    "changes_requested", "approved") with the editor's note, the version submitted for review, and a
 *    timeline of who moved the post when and from which machine, kept in protected post meta that
 *    only this plugin writes; read and changed through /copydesk/v1/reviews. WordPress has no field
 *    for any of these. Without the plugin Copydesk works with WordPress's statuses alone.
 */

declare(strict_types=1);

if (!defined('ABSPATH')) {
    exit;
}

const COPYDESK_COMPANION_VERSION = '0.3.0';
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
            'features' => array(
                'uid-meta',
                'uid-query',
                'comment-votes',
                'comment-changes',
                'comment-deletions',
                'review-state',
                'review-timeline',
                'review-submissions',
            ),
            'authorization_received' => $received,
            'user_id' => get_current_user_id(),
            'user_name' => wp_get_current_user()->display_name,
            'can_moderate_comments' => current_user_can('moderate_comments'),
            'can_review' => current_user_can('edit_others_posts') && current_user_can('publish_posts'),
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

/**
 * 7. The editorial review.
 *
 * WordPress's statuses stay the backbone (draft, pending, future, publish); a contributor can set any
 * registered custom status, so the review state is not a status but protected post meta ("_" keys are
 * never writable through /wp/v2/posts) that only the routes below write:
 *
 * - "_copydesk_review": the state ("submitted", "changes_requested", "approved" or ""), the editor's
 *   note, who set it, when, and the request ids already carried out (a repeated request lands once).
 * - "_copydesk_submitted": the version submitted for review, taken when the post moves to "pending"
 *   (title, content, a WordPress revision of it) plus the piece's Markdown the app sends afterwards.
 * - "_copydesk_timeline": every change of status (from the "transition_post_status" hook) and every
 *   review action: who, when, from which machine (the app's "X-Copydesk-Machine" header or "machine").
 *
 * Readable by whoever may edit the post, and by the post's author at any time: WordPress takes
 * "context=edit" and the revisions away from a contributor once the post is scheduled or published.
 *
 * Routes (all under /copydesk/v1):
 *   GET  /reviews?ids=1,2,3          the review of up to 100 posts (those the user may read)
 *   GET  /reviews/<id>               one post's review
 *   GET  /reviews/<id>/submitted     the submitted version (Markdown, title, HTML)
 *   POST /reviews/<id>/submit        {markdown, machine, request_id}: record the submission (pending)
 *   POST /reviews/<id>/return        {note, ...}: back to draft, "changes_requested" (editors)
 *   POST /reviews/<id>/approve       {date_gmt | publish, ...}: "approved", perhaps scheduled or
 *                                    published (editors)
 * The write routes take "expected_modified_gmt" and "expected_hash" (the post as the editor saw it)
 * and answer 409 "copydesk_changed" when the post changed since: WordPress ignores If-Match.
 */
const COPYDESK_COMPANION_REVIEW_META = '_copydesk_review';
const COPYDESK_COMPANION_SUBMITTED_META = '_copydesk_submitted';
const COPYDESK_COMPANION_TIMELINE_META = '_copydesk_timeline';
const COPYDESK_COMPANION_TIMELINE_MAX = 200;
const COPYDESK_COMPANION_REQUESTS_MAX = 50;

/**
 * The machine the current request comes from, as the app names it (never trusted for anything).
 */
function copydesk_companion_machine(?WP_REST_Request $request = null): string
{
    $machine = '';
    if ($request !== null && is_string($request->get_param('machine'))) {
        $machine = (string) $request->get_param('machine');
    } elseif (!empty($_SERVER['HTTP_X_COPYDESK_MACHINE'])) {
        $machine = (string) wp_unslash($_SERVER['HTTP_X_COPYDESK_MACHINE']);
    }
    if (isset($GLOBALS['copydesk_companion_machine']) && $machine === '') {
        $machine = (string) $GLOBALS['copydesk_companion_machine'];
    }
    return mb_substr(sanitize_text_field($machine), 0, 100);
}

function copydesk_companion_gmt(string $mysql): string
{
    return ($mysql === '' || strpos($mysql, '0000') === 0) ? '' : str_replace(' ', 'T', $mysql);
}

/**
 * The fingerprint of a post's text that the write routes compare with the one the editor saw.
 */
/**
 * The post's "modified_gmt" exactly as /wp/v2/posts shows it (WordPress keeps none for a new draft or
 * pending post and derives it from the local time).
 */
function copydesk_companion_modified_gmt(WP_Post $post): string
{
    $gmt = $post->post_modified_gmt;
    if ($gmt === '' || strpos($gmt, '0000') === 0) {
        $gmt = gmdate('Y-m-d H:i:s', (int) strtotime($post->post_modified) - (int) ((float) get_option('gmt_offset') * 3600));
    }
    return str_replace(' ', 'T', $gmt);
}

function copydesk_companion_content_hash(WP_Post $post): string
{
    return hash('sha256', $post->post_title . "\0" . $post->post_content . "\0" . $post->post_excerpt);
}

function copydesk_companion_user_name(int $user_id): string
{
    $user = $user_id ? get_userdata($user_id) : false;
    return $user ? (string) $user->display_name : '';
}

function copydesk_companion_meta_array(int $post_id, string $key): array
{
    $value = get_post_meta($post_id, $key, true);
    return is_array($value) ? $value : array();
}

function copydesk_companion_add_event(int $post_id, array $event): void
{
    $timeline = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_TIMELINE_META);
    $user_id = get_current_user_id();
    $timeline[] = array_merge(
        array(
            'at' => gmdate('Y-m-d\TH:i:s'),
            'user' => $user_id,
            'user_name' => copydesk_companion_user_name($user_id),
            'machine' => copydesk_companion_machine(),
            'action' => 'status',
            'from' => '',
            'to' => '',
            'note' => '',
        ),
        $event
    );
    if (count($timeline) > COPYDESK_COMPANION_TIMELINE_MAX) {
        $timeline = array_slice($timeline, -COPYDESK_COMPANION_TIMELINE_MAX);
    }
    update_post_meta($post_id, COPYDESK_COMPANION_TIMELINE_META, $timeline);
}

function copydesk_companion_set_state(int $post_id, string $state, string $note, string $request_id = ''): void
{
    $review = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_REVIEW_META);
    $requests = isset($review['requests']) && is_array($review['requests']) ? $review['requests'] : array();
    if ($request_id !== '') {
        $requests[] = $request_id;
        $requests = array_slice($requests, -COPYDESK_COMPANION_REQUESTS_MAX);
    }
    update_post_meta(
        $post_id,
        COPYDESK_COMPANION_REVIEW_META,
        array(
            'state' => $state,
            'note' => $note,
            'by' => get_current_user_id(),
            'at' => gmdate('Y-m-d\TH:i:s'),
            'requests' => $requests,
        )
    );
}

/**
 * Every change of status of a post, and the submitted version when it moves to "pending".
 * WordPress fires this on every save ("pending -> pending" too): only real changes are kept.
 */
function copydesk_companion_transition($new_status, $old_status, $post): void
{
    if (!($post instanceof WP_Post) || $post->post_type !== 'post' || $new_status === $old_status) {
        return;
    }
    if (in_array($new_status, array('auto-draft', 'inherit'), true)) {
        return;
    }
    $post_id = (int) $post->ID;
    copydesk_companion_add_event(
        $post_id,
        array('action' => 'status', 'from' => (string) $old_status, 'to' => (string) $new_status)
    );
    if ($new_status === 'pending') {
        $revision = wp_save_post_revision($post_id);
        if (!$revision) {
            $latest = wp_get_post_revisions($post_id, array('posts_per_page' => 1));
            $revision = $latest ? (int) array_key_first($latest) : 0;
        }
        $user_id = get_current_user_id();
        update_post_meta(
            $post_id,
            COPYDESK_COMPANION_SUBMITTED_META,
            array(
                'at' => gmdate('Y-m-d\TH:i:s'),
                'by' => $user_id,
                'revision' => (int) $revision,
                'title' => $post->post_title,
                'content' => $post->post_content,
                'markdown' => '',
            )
        );
        $review = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_REVIEW_META);
        copydesk_companion_set_state($post_id, 'submitted', (string) ($review['note'] ?? ''));
    } elseif ($old_status === 'pending' && $new_status === 'draft') {
        copydesk_companion_set_state($post_id, '', ''); // withdrawn; the return route sets its own state
    }
}
add_action('transition_post_status', 'copydesk_companion_transition', 10, 3);

function copydesk_companion_can_read_review(WP_Post $post): bool
{
    $user_id = get_current_user_id();
    if ($user_id === 0) {
        return false;
    }
    return current_user_can('edit_post', $post->ID) || (int) $post->post_author === $user_id;
}

function copydesk_companion_review_data(WP_Post $post): array
{
    $post_id = (int) $post->ID;
    $review = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_REVIEW_META);
    $submitted = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_SUBMITTED_META);
    $timeline = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_TIMELINE_META);
    return array(
        'id' => $post_id,
        'status' => $post->post_status,
        'modified_gmt' => copydesk_companion_modified_gmt($post),
        'date_gmt' => copydesk_companion_gmt($post->post_date_gmt),
        'author' => (int) $post->post_author,
        'author_name' => copydesk_companion_user_name((int) $post->post_author),
        'content_hash' => copydesk_companion_content_hash($post),
        'state' => (string) ($review['state'] ?? ''),
        'note' => (string) ($review['note'] ?? ''),
        'state_by' => (int) ($review['by'] ?? 0),
        'state_by_name' => copydesk_companion_user_name((int) ($review['by'] ?? 0)),
        'state_at' => (string) ($review['at'] ?? ''),
        'submitted' => $submitted ? array(
            'at' => (string) ($submitted['at'] ?? ''),
            'by' => (int) ($submitted['by'] ?? 0),
            'by_name' => copydesk_companion_user_name((int) ($submitted['by'] ?? 0)),
            'revision' => (int) ($submitted['revision'] ?? 0),
            'has_markdown' => ($submitted['markdown'] ?? '') !== '',
        ) : null,
        'timeline' => array_values($timeline),
    );
}

/**
 * The post of a route, or the error to answer: 404 when it does not exist, 403 when the user may
 * not read its review.
 *
 * @return WP_Post|WP_Error
 */
function copydesk_companion_review_post(WP_REST_Request $request)
{
    $post = get_post((int) $request->get_param('id'));
    if (!($post instanceof WP_Post) || $post->post_type !== 'post') {
        return new WP_Error('copydesk_no_post', 'There is no such post.', array('status' => 404));
    }
    if (!copydesk_companion_can_read_review($post)) {
        return new WP_Error(
            'copydesk_cannot_read',
            'You may not read the review of this post.',
            array('status' => rest_authorization_required_code())
        );
    }
    return $post;
}

function copydesk_companion_reviews(WP_REST_Request $request): WP_REST_Response
{
    $ids = array_slice(array_unique(array_filter(array_map('intval', explode(',', (string) $request->get_param('ids'))))), 0, 100);
    $reviews = array();
    $missing = array();
    if ($ids) {
        _prime_post_caches($ids, false, true);
    }
    foreach ($ids as $id) {
        $post = get_post($id);
        if (!($post instanceof WP_Post) || $post->post_type !== 'post' || !copydesk_companion_can_read_review($post)) {
            $missing[] = $id;
            continue;
        }
        $reviews[] = copydesk_companion_review_data($post);
    }
    return new WP_REST_Response(array('reviews' => $reviews, 'missing' => $missing));
}

function copydesk_companion_review(WP_REST_Request $request)
{
    $post = copydesk_companion_review_post($request);
    return is_wp_error($post) ? $post : new WP_REST_Response(copydesk_companion_review_data($post));
}

function copydesk_companion_submitted(WP_REST_Request $request)
{
    $post = copydesk_companion_review_post($request);
    if (is_wp_error($post)) {
        return $post;
    }
    $submitted = copydesk_companion_meta_array((int) $post->ID, COPYDESK_COMPANION_SUBMITTED_META);
    if (!$submitted) {
        return new WP_Error('copydesk_not_submitted', 'This post was never submitted for review.', array('status' => 404));
    }
    return new WP_REST_Response(
        array(
            'at' => (string) ($submitted['at'] ?? ''),
            'by' => (int) ($submitted['by'] ?? 0),
            'revision' => (int) ($submitted['revision'] ?? 0),
            'title' => (string) ($submitted['title'] ?? ''),
            'content' => (string) ($submitted['content'] ?? ''),
            'markdown' => (string) ($submitted['markdown'] ?? ''),
        )
    );
}

/**
 * Whether this request was carried out already (its answer was lost and the app sends it again).
 */
function copydesk_companion_repeated(WP_Post $post, WP_REST_Request $request): bool
{
    $request_id = (string) $request->get_param('request_id');
    if ($request_id === '') {
        return false;
    }
    $review = copydesk_companion_meta_array((int) $post->ID, COPYDESK_COMPANION_REVIEW_META);
    return in_array($request_id, isset($review['requests']) && is_array($review['requests']) ? $review['requests'] : array(), true);
}

/**
 * 409 when the post is no longer the version the editor saw.
 *
 * @return true|WP_Error
 */
function copydesk_companion_check_expected(WP_Post $post, WP_REST_Request $request)
{
    $modified = (string) $request->get_param('expected_modified_gmt');
    $hash = (string) $request->get_param('expected_hash');
    $now_modified = copydesk_companion_modified_gmt($post);
    $now_hash = copydesk_companion_content_hash($post);
    if (($modified !== '' && $modified !== $now_modified) || ($hash !== '' && $hash !== $now_hash)) {
        return new WP_Error(
            'copydesk_changed',
            'The post changed on the site since you looked at it.',
            array('status' => 409, 'modified_gmt' => $now_modified, 'content_hash' => $now_hash, 'post_status' => $post->post_status)
        );
    }
    return true;
}

function copydesk_companion_answer(int $post_id, bool $repeated = false): WP_REST_Response
{
    clean_post_cache($post_id);
    $data = copydesk_companion_review_data(get_post($post_id));
    $data['repeated'] = $repeated;
    return new WP_REST_Response($data);
}

function copydesk_companion_submit(WP_REST_Request $request)
{
    $post = copydesk_companion_review_post($request);
    if (is_wp_error($post)) {
        return $post;
    }
    if (!current_user_can('edit_post', $post->ID)) {
        return new WP_Error('copydesk_cannot_edit', 'You may not edit this post.', array('status' => 403));
    }
    if (copydesk_companion_repeated($post, $request)) {
        return copydesk_companion_answer((int) $post->ID, true);
    }
    if ($post->post_status !== 'pending') {
        return new WP_Error(
            'copydesk_not_pending',
            'The post is not pending review on the site; push it as pending first.',
            array('status' => 409, 'post_status' => $post->post_status)
        );
    }
    $post_id = (int) $post->ID;
    $submitted = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_SUBMITTED_META);
    $submitted['markdown'] = (string) $request->get_param('markdown');
    update_post_meta($post_id, COPYDESK_COMPANION_SUBMITTED_META, $submitted);
    $review = copydesk_companion_meta_array($post_id, COPYDESK_COMPANION_REVIEW_META);
    copydesk_companion_set_state($post_id, 'submitted', (string) ($review['note'] ?? ''), (string) $request->get_param('request_id'));
    copydesk_companion_add_event(
        $post_id,
        array('action' => 'submitted', 'from' => 'pending', 'to' => 'pending', 'machine' => copydesk_companion_machine($request))
    );
    return copydesk_companion_answer($post_id);
}

/**
 * @return WP_Post|WP_Error the post, when the user may review it and it may still be reviewed
 */
function copydesk_companion_reviewable(WP_REST_Request $request)
{
    $may_review = current_user_can('edit_others_posts') && current_user_can('publish_posts');
    $post = $may_review ? copydesk_companion_review_post($request) : null;
    if (is_wp_error($post)) {
        return $post;
    }
    if (!$may_review || !($post instanceof WP_Post) || !current_user_can('edit_post', $post->ID)) {
        return new WP_Error(
            'copydesk_cannot_review',
            'Only editors and administrators may return or approve pieces on this site.',
            array('status' => 403)
        );
    }
    return $post;
}

function copydesk_companion_update_status(int $post_id, array $changes, WP_REST_Request $request)
{
    $GLOBALS['copydesk_companion_machine'] = copydesk_companion_machine($request);
    $result = wp_update_post(array_merge(array('ID' => $post_id), $changes), true);
    unset($GLOBALS['copydesk_companion_machine']);
    return $result;
}

function copydesk_companion_return(WP_REST_Request $request)
{
    $post = copydesk_companion_reviewable($request);
    if (is_wp_error($post)) {
        return $post;
    }
    if (copydesk_companion_repeated($post, $request)) {
        return copydesk_companion_answer((int) $post->ID, true);
    }
    if ($post->post_status === 'publish' || $post->post_status === 'trash') {
        return new WP_Error(
            'copydesk_not_reviewable',
            $post->post_status === 'publish' ? 'The post is published already.' : 'The post is in the trash.',
            array('status' => 409, 'post_status' => $post->post_status)
        );
    }
    $expected = copydesk_companion_check_expected($post, $request);
    if (is_wp_error($expected)) {
        return $expected;
    }
    $post_id = (int) $post->ID;
    $note = sanitize_textarea_field((string) $request->get_param('note'));
    if ($post->post_status !== 'draft') {
        $result = copydesk_companion_update_status($post_id, array('post_status' => 'draft'), $request);
        if (is_wp_error($result)) {
            return $result;
        }
    }
    copydesk_companion_set_state($post_id, 'changes_requested', $note, (string) $request->get_param('request_id'));
    copydesk_companion_add_event(
        $post_id,
        array('action' => 'returned', 'from' => $post->post_status, 'to' => 'draft', 'note' => $note, 'machine' => copydesk_companion_machine($request))
    );
    return copydesk_companion_answer($post_id);
}

function copydesk_companion_approve(WP_REST_Request $request)
{
    $post = copydesk_companion_reviewable($request);
    if (is_wp_error($post)) {
        return $post;
    }
    if (copydesk_companion_repeated($post, $request)) {
        return copydesk_companion_answer((int) $post->ID, true);
    }
    if ($post->post_status === 'publish' || $post->post_status === 'trash') {
        return new WP_Error(
            'copydesk_not_reviewable',
            $post->post_status === 'publish' ? 'The post is published already.' : 'The post is in the trash.',
            array('status' => 409, 'post_status' => $post->post_status)
        );
    }
    $expected = copydesk_companion_check_expected($post, $request);
    if (is_wp_error($expected)) {
        return $expected;
    }
    $post_id = (int) $post->ID;
    $date_gmt = (string) $request->get_param('date_gmt');
    $changes = array();
    $action = 'approved';
    if ($date_gmt !== '') {
        $time = strtotime($date_gmt . ' UTC');
        if ($time === false) {
            return new WP_Error('copydesk_bad_date', 'The publication time is not a date.', array('status' => 400));
        }
        $gmt = gmdate('Y-m-d H:i:s', $time);
        $changes = array('post_status' => 'future', 'post_date_gmt' => $gmt, 'post_date' => get_date_from_gmt($gmt), 'edit_date' => true);
        $action = 'scheduled';
    } elseif ($request->get_param('publish')) {
        $changes = array(
            'post_status' => 'publish',
            'post_date_gmt' => current_time('mysql', true),
            'post_date' => current_time('mysql'),
            'edit_date' => true,
        );
        $action = 'published';
    }
    if ($changes) {
        $result = copydesk_companion_update_status($post_id, $changes, $request);
        if (is_wp_error($result)) {
            return $result;
        }
    }
    clean_post_cache($post_id);
    $after = get_post($post_id);
    copydesk_companion_set_state($post_id, 'approved', '', (string) $request->get_param('request_id'));
    copydesk_companion_add_event(
        $post_id,
        array(
            'action' => $action,
            'from' => $post->post_status,
            'to' => $after ? $after->post_status : '',
            'note' => $date_gmt !== '' ? $date_gmt : '',
            'machine' => copydesk_companion_machine($request),
        )
    );
    return copydesk_companion_answer($post_id);
}

/**
 * The review state and byline on each post of /wp/v2/posts (the review queue in one request a page;
 * editors may not list users by role, so the byline comes from here).
 */
add_action(
    'rest_api_init',
    static function (): void {
        register_rest_field(
            'post',
            'copydesk_review',
            array(
                'get_callback' => static function (array $data) {
                    $post = get_post((int) $data['id']);
                    if (!($post instanceof WP_Post) || !copydesk_companion_can_read_review($post)) {
                        return null;
                    }
                    $review = copydesk_companion_meta_array((int) $post->ID, COPYDESK_COMPANION_REVIEW_META);
                    $submitted = copydesk_companion_meta_array((int) $post->ID, COPYDESK_COMPANION_SUBMITTED_META);
                    return array(
                        'state' => (string) ($review['state'] ?? ''),
                        'note' => (string) ($review['note'] ?? ''),
                        'author_name' => copydesk_companion_user_name((int) $post->post_author),
                        'submitted_by_name' => copydesk_companion_user_name((int) ($submitted['by'] ?? 0)),
                        'submitted_at' => (string) ($submitted['at'] ?? ''),
                        'content_hash' => copydesk_companion_content_hash($post),
                    );
                },
                'schema' => array(
                    'description' => 'The Copydesk review of the post (null when the user may not read it).',
                    'type' => array('object', 'null'),
                    'context' => array('view', 'edit'),
                    'readonly' => true,
                ),
            )
        );
        $id = array('id' => array('type' => 'integer', 'minimum' => 1, 'required' => true));
        $signed_in = static function (): bool {
            return is_user_logged_in();
        };
        $writes = array(
            'machine' => array('type' => 'string', 'maxLength' => 100),
            'request_id' => array('type' => 'string', 'maxLength' => 64),
            'expected_modified_gmt' => array('type' => 'string'),
            'expected_hash' => array('type' => 'string'),
        );
        register_rest_route(
            'copydesk/v1',
            '/reviews',
            array(
                'methods' => WP_REST_Server::READABLE,
                'callback' => 'copydesk_companion_reviews',
                'permission_callback' => $signed_in,
                'args' => array('ids' => array('type' => 'string', 'required' => true)),
            )
        );
        register_rest_route(
            'copydesk/v1',
            '/reviews/(?P<id>\d+)',
            array('methods' => WP_REST_Server::READABLE, 'callback' => 'copydesk_companion_review', 'permission_callback' => $signed_in, 'args' => $id)
        );
        register_rest_route(
            'copydesk/v1',
            '/reviews/(?P<id>\d+)/submitted',
            array('methods' => WP_REST_Server::READABLE, 'callback' => 'copydesk_companion_submitted', 'permission_callback' => $signed_in, 'args' => $id)
        );
        register_rest_route(
            'copydesk/v1',
            '/reviews/(?P<id>\d+)/submit',
            array(
                'methods' => WP_REST_Server::CREATABLE,
                'callback' => 'copydesk_companion_submit',
                'permission_callback' => $signed_in,
                'args' => array_merge($id, $writes, array('markdown' => array('type' => 'string'))),
            )
        );
        register_rest_route(
            'copydesk/v1',
            '/reviews/(?P<id>\d+)/return',
            array(
                'methods' => WP_REST_Server::CREATABLE,
                'callback' => 'copydesk_companion_return',
                'permission_callback' => $signed_in,
                'args' => array_merge($id, $writes, array('note' => array('type' => 'string', 'maxLength' => 20000))),
            )
        );
        register_rest_route(
            'copydesk/v1',
            '/reviews/(?P<id>\d+)/approve',
            array(
                'methods' => WP_REST_Server::CREATABLE,
                'callback' => 'copydesk_companion_approve',
                'permission_callback' => $signed_in,
                'args' => array_merge($id, $writes, array('date_gmt' => array('type' => 'string'), 'publish' => array('type' => 'boolean'))),
            )
        );
    }
);
