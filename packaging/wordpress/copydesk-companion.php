<?php
/**
 * Plugin Name:       Copydesk Companion
 * Description:       Helps the Copydesk editorial workstation work with this site: it finds the posts Copydesk pushed (so a push whose answer was lost never makes a second post) and tells Copydesk whether the login header reaches WordPress.
 * Version:           0.1.0
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
 *    tell the two apart. It never echoes the header or any credential.
 *
 * Later versions add comment-vote fields (Copydesk issue 4) in the same file.
 */

declare(strict_types=1);

if (!defined('ABSPATH')) {
    exit;
}

const COPYDESK_COMPANION_VERSION = '0.1.0';
const COPYDESK_COMPANION_UID_META = 'copydesk_uid';
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
            'features' => array('uid-meta', 'uid-query'),
            'authorization_received' => $received,
            'user_id' => get_current_user_id(),
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
