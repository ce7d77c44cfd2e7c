<?php
/**
 * Install the Copydesk test site (PHP CLI; no wp-cli).
 *
 * Run by tests/helpers/wp_server.py with the environment described in
 * cli-bootstrap.php, after the per-run config and the empty database exist:
 *
 *   php -d display_errors=stderr install.php
 *
 * Installs WordPress, removes the sample content wp_install() creates
 * (unless COPYDESK_WP_KEEP_DEFAULT_CONTENT=1), turns on /%postname%/
 * permalinks so /wp-json/ works, and creates one user per role, each with an
 * application password. Prints only a JSON object on stdout:
 *
 *   {"admin": {"user": "admin", "id": 1, "role": "administrator",
 *              "email": "...", "password": "...", "app_password": "..."}, ...}
 *
 * Seeds nothing else.
 */

declare(strict_types=1);

define('WP_INSTALLING', true);

require __DIR__ . '/cli-bootstrap.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

/**
 * Print a message on stderr and stop with a non-zero exit status.
 */
function copydesk_fail(string $message): void
{
    fwrite(STDERR, 'install.php: ' . $message . "\n");
    exit(1);
}

if (is_blog_installed()) {
    copydesk_fail('WordPress is already installed in database ' . DB_NAME);
}

/*
 * wp_install() probes pretty permalinks by fetching a post from the site over
 * HTTP; answer that probe here, without network, and set the structure below.
 */
add_filter(
    'pre_http_request',
    static function () {
        return new WP_Error('copydesk_install', 'No HTTP during the test install.');
    }
);

$copydesk_users = array(
    // user name => role
    'admin' => 'administrator',
    'editor' => 'editor',
    'author' => 'author',
    'author2' => 'author',
    'contributor' => 'contributor',
);

$copydesk_result = array();
$copydesk_admin_password = wp_generate_password(20, false);
$copydesk_install = wp_install(
    'Copydesk Test Site',
    'admin',
    'admin@example.test',
    true,
    '',
    wp_slash($copydesk_admin_password),
    'en_US'
);
$copydesk_result['admin'] = array(
    'id' => (int) $copydesk_install['user_id'],
    'password' => $copydesk_admin_password,
);

foreach ($copydesk_users as $copydesk_name => $copydesk_role) {
    if ($copydesk_name === 'admin') {
        continue;
    }
    $copydesk_password = wp_generate_password(20, false);
    $copydesk_id = wp_insert_user(
        array(
            'user_login' => $copydesk_name,
            'user_pass' => $copydesk_password,
            'user_email' => $copydesk_name . '@example.test',
            'display_name' => ucfirst($copydesk_name),
            'role' => $copydesk_role,
        )
    );
    if (is_wp_error($copydesk_id)) {
        copydesk_fail("cannot create user $copydesk_name: " . $copydesk_id->get_error_message());
    }
    $copydesk_result[$copydesk_name] = array('id' => $copydesk_id, 'password' => $copydesk_password);
}

$copydesk_output = array();
foreach ($copydesk_users as $copydesk_name => $copydesk_role) {
    $copydesk_id = $copydesk_result[$copydesk_name]['id'];
    $copydesk_created = WP_Application_Passwords::create_new_application_password(
        $copydesk_id,
        array('name' => 'copydesk-tests')
    );
    if (is_wp_error($copydesk_created)) {
        copydesk_fail("cannot create application password for $copydesk_name: " . $copydesk_created->get_error_message());
    }
    $copydesk_output[$copydesk_name] = array(
        'user' => $copydesk_name,
        'id' => $copydesk_id,
        'role' => $copydesk_role,
        'email' => $copydesk_name . '@example.test',
        'password' => $copydesk_result[$copydesk_name]['password'],
        'app_password' => $copydesk_created[0],
    );
}

if (getenv('COPYDESK_WP_KEEP_DEFAULT_CONTENT') !== '1') {
    // "Hello world!", its comment, "Sample Page" and the draft privacy page.
    $copydesk_ids = $wpdb->get_col("SELECT ID FROM {$wpdb->posts}");
    foreach ($copydesk_ids as $copydesk_post_id) {
        wp_delete_post((int) $copydesk_post_id, true);
    }
    update_option('wp_page_for_privacy_policy', 0);
    update_option('sticky_posts', array());
    // Ids start at 1 again (InnoDB sets AUTO_INCREMENT to max(id) + 1).
    foreach (array($wpdb->posts, $wpdb->postmeta, $wpdb->comments, $wpdb->commentmeta) as $copydesk_table) {
        $wpdb->query("ALTER TABLE $copydesk_table AUTO_INCREMENT = 1");
    }
}

// Pretty permalinks: router.php sends unknown paths to index.php, like
// Apache's rewrite rules, so /wp-json/... and /slug/ both work.
$wp_rewrite->set_permalink_structure('/%postname%/');
// Soft flush: the rules go into the database only, never into .htaccess.
$wp_rewrite->flush_rules(false);

echo wp_json_encode($copydesk_output, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
