<?php
/**
 * Per-run WordPress config of the Copydesk test site.
 *
 * tests/helpers/wp_server.py fills the {{PLACEHOLDERS}} (values are PHP
 * single-quoted string bodies, already escaped) and writes the result to
 * /etc/wordpress/config-<name>.php, where Debian's
 * /usr/share/wordpress/wp-config.php looks when $_SERVER['WORDPRESS_CONFIG']
 * is <name> (router.php and cli-bootstrap.php set it). Debian's file then
 * fills in defaults for whatever is not defined here and loads
 * wp-settings.php. The file is deleted when the server stops.
 */

// MariaDB of this run: root without password over the private unix socket
// (mariadbd runs with --skip-networking).
define('DB_NAME', '{{DB_NAME}}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{{DB_SOCKET}}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$table_prefix = 'wp_';

define('AUTH_KEY', '{{AUTH_KEY}}');
define('SECURE_AUTH_KEY', '{{SECURE_AUTH_KEY}}');
define('LOGGED_IN_KEY', '{{LOGGED_IN_KEY}}');
define('NONCE_KEY', '{{NONCE_KEY}}');
define('AUTH_SALT', '{{AUTH_SALT}}');
define('SECURE_AUTH_SALT', '{{SECURE_AUTH_SALT}}');
define('LOGGED_IN_SALT', '{{LOGGED_IN_SALT}}');
define('NONCE_SALT', '{{NONCE_SALT}}');

// The site lives on loopback: http://127.0.0.1:PORT.
define('WP_HOME', '{{URL}}');
define('WP_SITEURL', '{{URL}}');

// wp-content of this run, in its temporary directory: uploads/ is writable;
// themes/ and plugins/ are symlinks to the packaged ones under
// /usr/share/wordpress/wp-content. router.php serves /wp-content/ from here.
define('WP_CONTENT_DIR', '{{CONTENT_DIR}}');
define('WP_CONTENT_URL', '{{URL}}/wp-content');
// The must-use plugin tests/helpers/wordpress/mu-plugins/copydesk-test.php.
define('WPMU_PLUGIN_DIR', '{{MU_PLUGIN_DIR}}');

// Application passwords are only offered over https or on a 'local' site.
define('WP_ENVIRONMENT_TYPE', 'local');

// No background work and no traffic beyond the site itself.
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');

// Errors go to the log, never into a response: PHP 8.2 deprecation notices
// from WordPress 6.1 would otherwise corrupt the REST API's JSON. PHP CLI
// scripts (install.php, run_php()) show them on stderr, never stdout.
define('WP_DEBUG', false);
define('WP_DEBUG_DISPLAY', false);
ini_set('display_errors', PHP_SAPI === 'cli' ? 'stderr' : '0');
ini_set('log_errors', '1');
ini_set('error_log', '{{PHP_ERROR_LOG}}');
