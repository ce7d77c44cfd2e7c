<?php
/**
 * Plugin Name:       Copydesk Companion
 * Description:       Helps the Copydesk editorial workstation work with this site: it finds the posts Copydesk pushed (so a push whose answer was lost never makes a second post), tells Copydesk whether the login header reaches WordPress, shows comment votes to Copydesk, lets it fetch only the comments changed since its last look, keeps the editorial review of each post (its state, the submitted version and a timeline), the editors' notes on passages as private editorial comments, and enforces the newsroom's pre-publish checklist.
 * Version:           0.5.0
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
 * 8. Editorial notes on passages (see "8." below): private editorial comments of a type and status of
 *    their own that WordPress neither counts, lists, feeds nor shows, read and written only through
 *    /copydesk/v1/notes. Without the plugin Copydesk keeps notes in each library.
 * 9. The pre-publish checklist (see "9." below): set by editors, enforced on every move to publish or
 *    future through the REST API, with an editor's override recorded in the post's timeline.
 * 10. GET /copydesk/v1/authors: the users the signed-in user may credit a post to (every user who may
 *    write posts for an editor or an administrator, only themselves for anyone else). Core REST lets
 *    only administrators list users by role; Copydesk maps a piece's byline to the post's author.
 * 11. The post field "copydesk_fields" (edit context): a post's custom fields that the user may edit
 *    (WordPress's own "edit_post_meta" check; protected fields only when a plugin allows it), read and
 *    written as strings. Copydesk sends the byline or the standfirst to the field a theme reads.
 *    Without it, only fields a theme or plugin registered for REST can be written.
 * 12. SEO fields: when Yoast SEO or Rank Math is active, their meta title, meta description and focus
 *    keyword are registered for REST (writable by whoever may edit the post).
 */

declare(strict_types=1);

if (!defined('ABSPATH')) {
    exit;
}

const COPYDESK_COMPANION_VERSION = '0.5.0';
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
                'notes',
                'checklist',
                'authors',
                'custom-fields',
                'seo-fields',
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
        $allowed = copydesk_companion_checklist_allows($post, array());
        if (is_wp_error($allowed)) {
            return $allowed;
        }
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

/**
 * 8. Editorial notes on passages.
 *
 * A note is a private editorial comment, the pattern Edit Flow and PublishPress use: its comment type
 * and its comment_approved status are both "copydesk_note", a status WordPress neither counts (post
 * comment counts and wp_count_comments() know only 1, 0, spam and trash), lists (comment queries ask
 * for 0 and 1 unless told otherwise), puts in a feed nor shows on the site. Notes are created, changed
 * and read only through the routes below: core's /wp/v2/comments would make a public, approved comment
 * of one, and is kept away from them (filters at the end of this section).
 *
 * Readable by whoever may edit the post and by the post's author at any time (also once it is
 * published, when WordPress takes the post away from a contributor). The text and anchor of a note are
 * changed or deleted only by the note's author; resolving and reopening by whoever may read it.
 *
 *   GET    /notes?posts=1,2,3     the notes of up to 100 posts, and the ids it will not show (missing)
 *   POST   /notes                 {post, uid, text, anchor, parent, resolved}: create; a uid seen before
 *                                 answers the note it made ("repeated": a lost answer, sent again)
 *   POST   /notes/<id>            {text?, anchor?, resolved?}
 *   DELETE /notes/<id>            the note and its author's own replies (refused with others' replies)
 */
const COPYDESK_COMPANION_NOTE_TYPE = 'copydesk_note';
const COPYDESK_COMPANION_NOTE_META = '_copydesk_note';
const COPYDESK_COMPANION_NOTE_UID_META = '_copydesk_note_uid';
const COPYDESK_COMPANION_NOTE_MAX = 20000;

/**
 * Now in UTC to the microsecond: a note changed twice in one second still reads as changed.
 */
function copydesk_companion_now_micro(): string
{
    return (new DateTime('now', new DateTimeZone('UTC')))->format('Y-m-d\TH:i:s.u');
}

function copydesk_companion_note_data(WP_Comment $comment): array
{
    $id = (int) $comment->comment_ID;
    $meta = get_comment_meta($id, COPYDESK_COMPANION_NOTE_META, true);
    $meta = is_array($meta) ? $meta : array();
    $user_id = (int) $comment->user_id;
    $created = copydesk_companion_gmt((string) $comment->comment_date_gmt);
    return array(
        'id' => $id,
        'post' => (int) $comment->comment_post_ID,
        'parent' => (int) $comment->comment_parent,
        'uid' => (string) get_comment_meta($id, COPYDESK_COMPANION_NOTE_UID_META, true),
        'author' => $user_id,
        'author_name' => copydesk_companion_user_name($user_id) ?: (string) $comment->comment_author,
        'mine' => $user_id !== 0 && $user_id === get_current_user_id(),
        'text' => (string) $comment->comment_content,
        'anchor' => (string) ($meta['anchor'] ?? ''),
        'resolved' => !empty($meta['resolved']),
        'resolved_by_name' => copydesk_companion_user_name((int) ($meta['resolved_by'] ?? 0)),
        'resolved_at' => (string) ($meta['resolved_at'] ?? ''),
        'created_gmt' => $created,
        'modified_gmt' => (string) ($meta['modified'] ?? $created),
    );
}

function copydesk_companion_notes_query(array $args): array
{
    return get_comments(
        array_merge(
            array(
                'type' => COPYDESK_COMPANION_NOTE_TYPE,
                'status' => COPYDESK_COMPANION_NOTE_TYPE,
                'orderby' => 'comment_ID',
                'order' => 'ASC',
                'no_found_rows' => true,
            ),
            $args
        )
    );
}

/**
 * The note of a route and its post, or the error to answer.
 *
 * @return array{0: WP_Comment, 1: WP_Post}|WP_Error
 */
function copydesk_companion_note(WP_REST_Request $request)
{
    $comment = get_comment((int) $request->get_param('id'));
    if (!($comment instanceof WP_Comment) || $comment->comment_type !== COPYDESK_COMPANION_NOTE_TYPE) {
        return new WP_Error('copydesk_no_note', 'There is no such note.', array('status' => 404));
    }
    $post = get_post((int) $comment->comment_post_ID);
    if (!($post instanceof WP_Post) || !copydesk_companion_can_read_review($post)) {
        return new WP_Error('copydesk_no_note', 'There is no such note.', array('status' => 404));
    }
    return array($comment, $post);
}

function copydesk_companion_clean_anchor($anchor): string
{
    $anchor = is_string($anchor) ? $anchor : '';
    if ($anchor === '' || strlen($anchor) > 4 * COPYDESK_COMPANION_NOTE_MAX || !is_array(json_decode($anchor, true))) {
        return '';
    }
    return $anchor;
}

function copydesk_companion_notes_list(WP_REST_Request $request): WP_REST_Response
{
    $ids = array_slice(array_unique(array_filter(array_map('intval', explode(',', (string) $request->get_param('posts'))))), 0, 100);
    $readable = array();
    $missing = array();
    foreach ($ids as $id) {
        $post = get_post($id);
        if ($post instanceof WP_Post && $post->post_type === 'post' && copydesk_companion_can_read_review($post)) {
            $readable[] = $id;
        } else {
            $missing[] = $id;
        }
    }
    $notes = array();
    if ($readable) {
        foreach (copydesk_companion_notes_query(array('post__in' => $readable)) as $comment) {
            $notes[] = copydesk_companion_note_data($comment);
        }
    }
    return new WP_REST_Response(array('notes' => $notes, 'missing' => $missing));
}

function copydesk_companion_note_create(WP_REST_Request $request)
{
    $post = get_post((int) $request->get_param('post'));
    if (!($post instanceof WP_Post) || $post->post_type !== 'post') {
        return new WP_Error('copydesk_no_post', 'There is no such post.', array('status' => 404));
    }
    if (!copydesk_companion_can_read_review($post)) {
        return new WP_Error('copydesk_cannot_read', 'You may not read the notes of this post.', array('status' => 403));
    }
    $uid = (string) $request->get_param('uid');
    if ($uid !== '') {
        $seen = copydesk_companion_notes_query(
            array('post_id' => (int) $post->ID, 'meta_key' => COPYDESK_COMPANION_NOTE_UID_META, 'meta_value' => $uid, 'number' => 1)
        );
        if ($seen) {
            $data = copydesk_companion_note_data($seen[0]);
            $data['repeated'] = true;
            return new WP_REST_Response($data);
        }
    }
    $parent = (int) $request->get_param('parent');
    if ($parent) {
        $above = get_comment($parent);
        if (!($above instanceof WP_Comment) || $above->comment_type !== COPYDESK_COMPANION_NOTE_TYPE || (int) $above->comment_post_ID !== (int) $post->ID) {
            return new WP_Error('copydesk_bad_note', 'A reply must answer a note of the same post.', array('status' => 400));
        }
    }
    $text = trim(sanitize_textarea_field((string) $request->get_param('text')));
    if ($text === '') {
        return new WP_Error('copydesk_bad_note', 'A note cannot be empty.', array('status' => 400));
    }
    $user = wp_get_current_user();
    $now = gmdate('Y-m-d H:i:s');
    $id = wp_insert_comment(
        array(
            'comment_post_ID' => (int) $post->ID,
            'comment_content' => $text,
            'comment_type' => COPYDESK_COMPANION_NOTE_TYPE,
            'comment_approved' => COPYDESK_COMPANION_NOTE_TYPE,
            'comment_parent' => $parent,
            'user_id' => (int) $user->ID,
            'comment_author' => (string) $user->display_name,
            'comment_author_email' => (string) $user->user_email,
            'comment_date_gmt' => $now,
            'comment_date' => get_date_from_gmt($now),
        )
    );
    if (!$id) {
        return new WP_Error('copydesk_note_failed', 'The note could not be stored.', array('status' => 500));
    }
    update_comment_meta((int) $id, COPYDESK_COMPANION_NOTE_UID_META, $uid);
    $resolved = (bool) $request->get_param('resolved');
    update_comment_meta(
        (int) $id,
        COPYDESK_COMPANION_NOTE_META,
        array(
            'anchor' => copydesk_companion_clean_anchor($request->get_param('anchor')),
            'resolved' => $resolved,
            'resolved_by' => $resolved ? (int) $user->ID : 0,
            'resolved_at' => $resolved ? gmdate('Y-m-d\TH:i:s') : '',
            'modified' => copydesk_companion_now_micro(),
        )
    );
    return new WP_REST_Response(copydesk_companion_note_data(get_comment((int) $id)));
}

function copydesk_companion_note_update(WP_REST_Request $request)
{
    $found = copydesk_companion_note($request);
    if (is_wp_error($found)) {
        return $found;
    }
    list($comment, $post) = $found;
    $id = (int) $comment->comment_ID;
    $mine = (int) $comment->user_id === get_current_user_id();
    $text = $request->get_param('text');
    $anchor = $request->get_param('anchor');
    if (($text !== null || $anchor !== null) && !$mine) {
        return new WP_Error('copydesk_not_yours', 'Only its author may change a note.', array('status' => 403));
    }
    $meta = get_comment_meta($id, COPYDESK_COMPANION_NOTE_META, true);
    $meta = is_array($meta) ? $meta : array();
    if ($text !== null) {
        $text = trim(sanitize_textarea_field((string) $text));
        if ($text === '') {
            return new WP_Error('copydesk_bad_note', 'A note cannot be empty.', array('status' => 400));
        }
        wp_update_comment(array('comment_ID' => $id, 'comment_content' => $text));
    }
    if ($anchor !== null) {
        $meta['anchor'] = copydesk_companion_clean_anchor($anchor);
    }
    $resolved = $request->get_param('resolved');
    if ($resolved !== null && (bool) $resolved !== !empty($meta['resolved'])) {
        $meta['resolved'] = (bool) $resolved;
        $meta['resolved_by'] = $resolved ? get_current_user_id() : 0;
        $meta['resolved_at'] = $resolved ? gmdate('Y-m-d\TH:i:s') : '';
    }
    $meta['modified'] = copydesk_companion_now_micro();
    update_comment_meta($id, COPYDESK_COMPANION_NOTE_META, $meta);
    clean_comment_cache($id);
    return new WP_REST_Response(copydesk_companion_note_data(get_comment($id)));
}

function copydesk_companion_note_delete(WP_REST_Request $request)
{
    $found = copydesk_companion_note($request);
    if (is_wp_error($found)) {
        return $found;
    }
    list($comment) = $found;
    $id = (int) $comment->comment_ID;
    if ((int) $comment->user_id !== get_current_user_id()) {
        return new WP_Error('copydesk_not_yours', 'Only its author may delete a note.', array('status' => 403));
    }
    $replies = copydesk_companion_notes_query(array('parent' => $id));
    foreach ($replies as $reply) {
        if ((int) $reply->user_id !== get_current_user_id()) {
            return new WP_Error('copydesk_has_replies', 'Others have replied to this note; resolve it instead.', array('status' => 409));
        }
    }
    foreach ($replies as $reply) {
        wp_delete_comment((int) $reply->comment_ID, true);
    }
    wp_delete_comment($id, true);
    return new WP_REST_Response(array('deleted' => true, 'id' => $id));
}

/**
 * Core's comment routes and queries stay away from notes: /wp/v2/comments never lists them (whatever
 * status or type is asked for), and its single-comment routes answer 404 for one.
 */
add_filter(
    'rest_comment_query',
    static function (array $args): array {
        $not_in = isset($args['type__not_in']) ? (array) $args['type__not_in'] : array();
        $args['type__not_in'] = array_merge($not_in, array(COPYDESK_COMPANION_NOTE_TYPE));
        return $args;
    },
    20
);

add_filter(
    'rest_request_before_callbacks',
    static function ($response, $handler, WP_REST_Request $request) {
        if (preg_match('#^/wp/v2/comments/(\d+)#', $request->get_route(), $match)) {
            $comment = get_comment((int) $match[1]);
            if ($comment instanceof WP_Comment && $comment->comment_type === COPYDESK_COMPANION_NOTE_TYPE) {
                return new WP_Error('rest_comment_invalid_id', 'Invalid comment ID.', array('status' => 404));
            }
        }
        return $response;
    },
    10,
    3
);

/**
 * 9. The pre-publish checklist, enforced on the site.
 *
 * The site's checklist (the app's JSON: each item "required", "recommended" or "off", and the limits)
 * is kept in the option "copydesk_checklist", set by editors through POST /copydesk/v1/checklist.
 * A move to "publish" or "future" through the REST API (core's /wp/v2/posts, and the approve route
 * above) is refused with 409 "copydesk_checklist" and the list of what is missing when a required
 * item this site can check fails: a disclaimer attached (the app's <footer class="cd-disclaimer">),
 * the word count within its limits, the headline's length, a featured image with alt text, at least
 * one category besides the default one. An editor may override it for one post with a reason
 * (POST /copydesk/v1/checklist/override/<id>), recorded in the post's timeline.
 */
const COPYDESK_COMPANION_CHECKLIST_OPTION = 'copydesk_checklist';
const COPYDESK_COMPANION_OVERRIDE_META = '_copydesk_checklist_override';
const COPYDESK_COMPANION_CHECKLIST_ITEMS = array('disclaimer', 'word_count', 'standfirst', 'headline', 'featured_image', 'category', 'spelling', 'open_notes', 'links');
const COPYDESK_COMPANION_CHECKLIST_LIMITS = array('word_min', 'word_max', 'standfirst_max', 'headline_max');

function copydesk_companion_checklist_config(): array
{
    $config = get_option(COPYDESK_COMPANION_CHECKLIST_OPTION, array());
    return is_array($config) ? $config : array();
}

/**
 * @return true|WP_Error whether the user may set the checklist or override it (editors)
 */
function copydesk_companion_may_review()
{
    if (current_user_can('edit_others_posts') && current_user_can('publish_posts')) {
        return true;
    }
    return new WP_Error(
        'copydesk_cannot_review',
        'Only editors and administrators may set or override the checklist on this site.',
        array('status' => is_user_logged_in() ? 403 : 401)
    );
}

function copydesk_companion_count_words(string $html): int
{
    $html = (string) preg_replace('#<footer class="cd-disclaimer">.*?</footer>#s', ' ', $html);
    $text = html_entity_decode(wp_strip_all_tags($html), ENT_QUOTES, 'UTF-8');
    return (int) preg_match_all("/[\\p{L}\\p{N}](?:[\\p{L}\\p{N}'’]*[\\p{L}\\p{N}])?(?:[-.][\\p{L}\\p{N}]+)*/u", $text);
}

/**
 * The required items this site can check that a post (with the changes about to be saved) fails:
 * item => what is wrong.
 */
function copydesk_companion_checklist_failures(?WP_Post $post, array $changes): array
{
    $config = copydesk_companion_checklist_config();
    $levels = isset($config['levels']) && is_array($config['levels']) ? $config['levels'] : array();
    $required = static function (string $key) use ($levels): bool {
        return ($levels[$key] ?? '') === 'required';
    };
    $content = (string) ($changes['post_content'] ?? ($post ? $post->post_content : ''));
    $title = (string) ($changes['post_title'] ?? ($post ? $post->post_title : ''));
    $failures = array();
    if ($required('disclaimer') && strpos($content, 'cd-disclaimer') === false) {
        $failures['disclaimer'] = 'no disclaimer attached';
    }
    if ($required('word_count')) {
        $words = copydesk_companion_count_words($content);
        $min = (int) ($config['word_min'] ?? 0);
        $max = (int) ($config['word_max'] ?? 0);
        if (($min && $words < $min) || ($max && $words > $max)) {
            $failures['word_count'] = sprintf('%d words, outside %d to %s', $words, $min, $max ? (string) $max : 'any');
        }
    }
    if ($required('headline')) {
        $max = (int) ($config['headline_max'] ?? 0);
        $length = mb_strlen(trim($title));
        if ($length === 0 || ($max && $length > $max)) {
            $failures['headline'] = $length === 0 ? 'no headline' : sprintf('%d characters, over %d', $length, $max);
        }
    }
    if ($required('featured_image')) {
        $image = (int) ($changes['featured_media'] ?? ($post ? get_post_thumbnail_id($post) : 0));
        if (!$image) {
            $failures['featured_image'] = 'no featured image';
        } elseif (trim((string) get_post_meta($image, '_wp_attachment_image_alt', true)) === '') {
            $failures['featured_image'] = 'the featured image has no alt text';
        }
    }
    if ($required('category')) {
        $categories = $changes['categories'] ?? ($post ? wp_get_post_categories((int) $post->ID) : array());
        $categories = array_diff(array_map('intval', (array) $categories), array((int) get_option('default_category')));
        if (!$categories) {
            $failures['category'] = 'no category';
        }
    }
    return $failures;
}

/**
 * @return true|WP_Error whether the post may move to publish/future now
 */
function copydesk_companion_checklist_allows(?WP_Post $post, array $changes)
{
    if ($post && get_post_meta((int) $post->ID, COPYDESK_COMPANION_OVERRIDE_META, true)) {
        return true;
    }
    $failures = copydesk_companion_checklist_failures($post, $changes);
    if (!$failures) {
        return true;
    }
    $parts = array();
    foreach ($failures as $key => $what) {
        $parts[] = $key . ': ' . $what;
    }
    return new WP_Error(
        'copydesk_checklist',
        "The site's checklist requires what this post lacks (" . implode('; ', $parts) . ').',
        array('status' => 409, 'missing' => $failures)
    );
}

add_filter(
    'rest_pre_insert_post',
    static function ($prepared, WP_REST_Request $request) {
        $status = isset($prepared->post_status) ? (string) $prepared->post_status : '';
        if (!in_array($status, array('publish', 'future'), true)) {
            return $prepared;
        }
        $post = isset($prepared->ID) ? get_post((int) $prepared->ID) : null;
        if ($post instanceof WP_Post && in_array($post->post_status, array('publish', 'future'), true)) {
            return $prepared; // not a move to publish: an edit of what is out already
        }
        $changes = array();
        foreach (array('post_content', 'post_title') as $field) {
            if (isset($prepared->$field)) {
                $changes[$field] = $prepared->$field;
            }
        }
        if ($request->has_param('featured_media')) {
            $changes['featured_media'] = (int) $request->get_param('featured_media');
        }
        if ($request->has_param('categories')) {
            $changes['categories'] = (array) $request->get_param('categories');
        }
        $allowed = copydesk_companion_checklist_allows($post instanceof WP_Post ? $post : null, $changes);
        return is_wp_error($allowed) ? $allowed : $prepared;
    },
    10,
    2
);

function copydesk_companion_checklist_set(WP_REST_Request $request)
{
    $body = $request->get_json_params();
    $body = is_array($body) ? $body : array();
    $levels = isset($body['levels']) && is_array($body['levels']) ? $body['levels'] : array();
    $clean = array('format' => 1, 'levels' => array());
    foreach ($levels as $key => $level) {
        if (!in_array($key, COPYDESK_COMPANION_CHECKLIST_ITEMS, true) || !in_array($level, array('required', 'recommended', 'off'), true)) {
            return new WP_Error('copydesk_bad_checklist', sprintf('Unknown checklist item or level: %s.', (string) $key), array('status' => 400));
        }
        $clean['levels'][$key] = $level;
    }
    foreach (COPYDESK_COMPANION_CHECKLIST_LIMITS as $limit) {
        $value = $body[$limit] ?? 0;
        if (!is_int($value) || $value < 0) {
            return new WP_Error('copydesk_bad_checklist', sprintf('The checklist limit %s must be a whole number.', $limit), array('status' => 400));
        }
        $clean[$limit] = $value;
    }
    update_option(COPYDESK_COMPANION_CHECKLIST_OPTION, $clean, false);
    return new WP_REST_Response($clean);
}

function copydesk_companion_checklist_override(WP_REST_Request $request)
{
    $post = get_post((int) $request->get_param('id'));
    if (!($post instanceof WP_Post) || $post->post_type !== 'post' || !current_user_can('edit_post', $post->ID)) {
        return new WP_Error('copydesk_no_post', 'There is no such post.', array('status' => 404));
    }
    $reason = trim(sanitize_textarea_field((string) $request->get_param('reason')));
    if ($reason === '') {
        return new WP_Error('copydesk_bad_checklist', 'Give the reason for the override.', array('status' => 400));
    }
    update_post_meta(
        (int) $post->ID,
        COPYDESK_COMPANION_OVERRIDE_META,
        array('reason' => $reason, 'by' => get_current_user_id(), 'at' => gmdate('Y-m-d\TH:i:s'))
    );
    copydesk_companion_add_event(
        (int) $post->ID,
        array('action' => 'checklist-overridden', 'from' => $post->post_status, 'to' => $post->post_status, 'note' => $reason, 'machine' => copydesk_companion_machine($request))
    );
    return new WP_REST_Response(array('post' => (int) $post->ID, 'reason' => $reason));
}

add_action(
    'rest_api_init',
    static function (): void {
        $signed_in = static function (): bool {
            return is_user_logged_in();
        };
        $id = array('id' => array('type' => 'integer', 'minimum' => 1, 'required' => true));
        $note_fields = array(
            'text' => array('type' => 'string', 'maxLength' => COPYDESK_COMPANION_NOTE_MAX),
            'anchor' => array('type' => 'string'),
            'resolved' => array('type' => 'boolean'),
        );
        register_rest_route(
            'copydesk/v1',
            '/notes',
            array(
                array(
                    'methods' => WP_REST_Server::READABLE,
                    'callback' => 'copydesk_companion_notes_list',
                    'permission_callback' => $signed_in,
                    'args' => array('posts' => array('type' => 'string', 'required' => true)),
                ),
                array(
                    'methods' => WP_REST_Server::CREATABLE,
                    'callback' => 'copydesk_companion_note_create',
                    'permission_callback' => $signed_in,
                    'args' => array_merge(
                        $note_fields,
                        array(
                            'post' => array('type' => 'integer', 'minimum' => 1, 'required' => true),
                            'uid' => array('type' => 'string', 'maxLength' => 64),
                            'parent' => array('type' => 'integer', 'minimum' => 0),
                        )
                    ),
                ),
            )
        );
        register_rest_route(
            'copydesk/v1',
            '/notes/(?P<id>\d+)',
            array(
                array('methods' => WP_REST_Server::CREATABLE, 'callback' => 'copydesk_companion_note_update', 'permission_callback' => $signed_in, 'args' => array_merge($id, $note_fields)),
                array('methods' => WP_REST_Server::DELETABLE, 'callback' => 'copydesk_companion_note_delete', 'permission_callback' => $signed_in, 'args' => $id),
            )
        );
        register_rest_route(
            'copydesk/v1',
            '/checklist',
            array(
                array(
                    'methods' => WP_REST_Server::READABLE,
                    'callback' => static function (): WP_REST_Response {
                        return new WP_REST_Response((object) copydesk_companion_checklist_config());
                    },
                    'permission_callback' => $signed_in,
                ),
                array('methods' => WP_REST_Server::CREATABLE, 'callback' => 'copydesk_companion_checklist_set', 'permission_callback' => 'copydesk_companion_may_review'),
            )
        );
        register_rest_route(
            'copydesk/v1',
            '/checklist/override/(?P<id>\d+)',
            array(
                'methods' => WP_REST_Server::CREATABLE,
                'callback' => 'copydesk_companion_checklist_override',
                'permission_callback' => 'copydesk_companion_may_review',
                'args' => array_merge($id, array('reason' => array('type' => 'string', 'maxLength' => 20000, 'required' => true), 'machine' => array('type' => 'string', 'maxLength' => 100))),
            )
        );
    }
);

/**
 * 10. GET /copydesk/v1/authors
 */
function copydesk_companion_author_row(WP_User $user): array
{
    return array('id' => (int) $user->ID, 'name' => $user->display_name, 'slug' => $user->user_nicename);
}

function copydesk_companion_authors(WP_REST_Request $request): WP_REST_Response
{
    $me = wp_get_current_user();
    $may_choose = current_user_can('edit_others_posts');
    $authors = array();
    if ($may_choose) {
        $query = array('orderby' => 'display_name', 'number' => 1000);
        if (version_compare(get_bloginfo('version'), '5.9', '>=')) {
            $query['capability'] = array('edit_posts');
        } else {
            $query['who'] = 'authors';
        }
        foreach (get_users($query) as $user) {
            $authors[] = copydesk_companion_author_row($user);
        }
    } else {
        $authors[] = copydesk_companion_author_row($me);
    }
    return new WP_REST_Response(
        array('me' => copydesk_companion_author_row($me), 'may_choose' => $may_choose, 'authors' => $authors)
    );
}

add_action(
    'rest_api_init',
    static function (): void {
        register_rest_route(
            'copydesk/v1',
            '/authors',
            array(
                'methods' => WP_REST_Server::READABLE,
                'callback' => 'copydesk_companion_authors',
                'permission_callback' => static function (): bool {
                    return current_user_can('edit_posts');
                },
            )
        );
    }
);

/**
 * 11. The "copydesk_fields" post field: custom fields as strings.
 */
function copydesk_companion_field_allowed(int $post_id, string $key): bool
{
    return preg_match('/^[A-Za-z0-9_][A-Za-z0-9_\-]{0,99}$/', $key) === 1
        && strpos($key, 'copydesk_') !== 0
        && strpos($key, '_wp_') !== 0
        && strpos($key, '_edit_') !== 0
        && current_user_can('edit_post_meta', $post_id, $key);
}

function copydesk_companion_fields_get(array $post, string $attribute, WP_REST_Request $request)
{
    if ($request['context'] !== 'edit') {
        return null;
    }
    $post_id = (int) $post['id'];
    $fields = array();
    foreach (get_post_meta($post_id) as $key => $values) {
        $key = (string) $key;
        if (count($values) !== 1 || is_serialized($values[0]) || !copydesk_companion_field_allowed($post_id, $key)) {
            continue;
        }
        $fields[$key] = (string) $values[0];
    }
    return (object) $fields;
}

function copydesk_companion_fields_update($value, WP_Post $post)
{
    if (!is_array($value)) {
        return new WP_Error('copydesk_fields_invalid', 'The custom fields must be an object of strings.', array('status' => 400));
    }
    foreach ($value as $key => $text) {
        if (!is_string($text)) {
            return new WP_Error('copydesk_fields_invalid', sprintf('The custom field "%s" must be a string.', $key), array('status' => 400));
        }
        if (!copydesk_companion_field_allowed((int) $post->ID, (string) $key)) {
            return new WP_Error(
                'copydesk_field_refused',
                sprintf('You may not set the custom field "%s" of this post.', $key),
                array('status' => rest_authorization_required_code())
            );
        }
    }
    foreach ($value as $key => $text) {
        if ($text === '') {
            delete_post_meta((int) $post->ID, (string) $key);
        } else {
            update_post_meta((int) $post->ID, wp_slash((string) $key), wp_slash($text));
        }
    }
    return true;
}

add_action(
    'rest_api_init',
    static function (): void {
        register_rest_field(
            'post',
            'copydesk_fields',
            array(
                'get_callback' => 'copydesk_companion_fields_get',
                'update_callback' => 'copydesk_companion_fields_update',
                'schema' => array(
                    'description' => 'Custom fields of the post that the user may edit, as strings.',
                    'type' => 'object',
                    'context' => array('edit'),
                    'additionalProperties' => array('type' => 'string'),
                ),
            )
        );
    }
);

/**
 * 12. SEO fields of Yoast SEO and Rank Math in REST, when those plugins are active.
 */
function copydesk_companion_seo_keys(): array
{
    $keys = array();
    if (defined('WPSEO_VERSION')) {
        $keys = array_merge($keys, array('_yoast_wpseo_title', '_yoast_wpseo_metadesc', '_yoast_wpseo_focuskw'));
    }
    if (defined('RANK_MATH_VERSION') || class_exists('RankMath')) {
        $keys = array_merge($keys, array('rank_math_title', 'rank_math_description', 'rank_math_focus_keyword'));
    }
    return $keys;
}

add_action(
    'init',
    static function (): void {
        foreach (copydesk_companion_seo_keys() as $key) {
            if (registered_meta_key_exists('post', $key, 'post')) {
                continue;
            }
            register_post_meta(
                'post',
                $key,
                array(
                    'type' => 'string',
                    'single' => true,
                    'default' => '',
                    'show_in_rest' => true,
                    'auth_callback' => static function ($allowed, $meta_key, $post_id) {
                        return current_user_can('edit_post', (int) $post_id);
                    },
                )
            );
        }
    },
    20
);
