<?php
/**
 * Plugin Name: Copydesk test site
 * Description: Settings for the throwaway WordPress site of Copydesk's integration tests. Never install on a real site.
 *
 * Loaded as a must-use plugin: the per-run config points WPMU_PLUGIN_DIR at
 * this folder, so it is active from the very first request (and during
 * wp_install(), unlike ordinary plugins).
 *
 * Tests can turn WordPress's own comment flood and duplicate checks back on
 * for one site with:
 *     server.run_php("update_option('copydesk_test_comment_checks', '1');")
 */

declare(strict_types=1);

if (!defined('ABSPATH')) {
    exit;
}

/**
 * Whether the test asked for WordPress's normal comment checks.
 */
function copydesk_test_comment_checks_enabled(): bool
{
    return (string) get_option('copydesk_test_comment_checks', '0') === '1';
}

/*
 * Anonymous comments over REST. WordPress core refuses POST /wp/v2/comments
 * without authentication (401 rest_comment_login_required) unless this filter
 * says yes; the comment tests post as an anonymous reader like the site's
 * comment form does.
 */
add_filter('rest_allow_anonymous_comments', '__return_true');

/*
 * Comment flood protection. By default a visitor (same IP, and every test
 * comes from 127.0.0.1) may post one comment per 15 seconds
 * (wp_throttle_comment_flood on 'comment_flood_filter'); tests post many in a
 * row. Our filter runs after core's (priority 20) and says "no flood".
 */
add_filter(
    'comment_flood_filter',
    static function ($is_flood) {
        return copydesk_test_comment_checks_enabled() ? $is_flood : false;
    },
    20
);

/*
 * Duplicate comment check. Core rejects (409 comment_duplicate over REST) a
 * comment with the same post, parent, author and content as an existing one;
 * tests reuse fixed texts. Returning an empty id lets the comment through.
 */
add_filter(
    'duplicate_comment_id',
    static function ($dupe_id) {
        return copydesk_test_comment_checks_enabled() ? $dupe_id : 0;
    },
    20
);

/*
 * Mail. There is no MTA; wp_mail() would call /usr/sbin/sendmail (install
 * notification, comment moderation notices...). Pretend every mail was sent.
 */
add_filter(
    'pre_wp_mail',
    static function () {
        return true;
    }
);

/*
 * Rewrite rules. /usr/share/wordpress/.htaccess is Debian's symlink to the
 * shared /etc/wordpress/htaccess, which a hard flush_rewrite_rules() may
 * write when WordPress thinks it runs under Apache with mod_rewrite. The test
 * site runs under `php -S` and must never touch it; pretty permalinks work
 * through tests/helpers/wordpress/router.php instead.
 */
add_filter('got_rewrite', '__return_false');
