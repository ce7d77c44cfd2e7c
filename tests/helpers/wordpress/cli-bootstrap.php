<?php
/**
 * Load the Copydesk test site's WordPress from a PHP CLI script.
 *
 * Required (from the global scope) by install.php and run.php. The
 * environment, set by tests/helpers/wp_server.py, names the site:
 *   COPYDESK_WP_CONFIG  the per-run config name: Debian's
 *                       /usr/share/wordpress/wp-config.php then loads
 *                       /etc/wordpress/config-<name>.php
 *   COPYDESK_WP_URL     the site's base URL (http://127.0.0.1:PORT)
 *   COPYDESK_WP_ROOT    WordPress's ABSPATH (default /usr/share/wordpress)
 */

declare(strict_types=1);

$copydesk_config = getenv('COPYDESK_WP_CONFIG');
if ($copydesk_config === false || preg_match('/^[a-zA-Z0-9-]+$/', $copydesk_config) !== 1) {
    fwrite(STDERR, "COPYDESK_WP_CONFIG is missing or not [a-zA-Z0-9-]+\n");
    exit(2);
}
$copydesk_url = getenv('COPYDESK_WP_URL') ?: 'http://127.0.0.1';
$copydesk_root = rtrim(getenv('COPYDESK_WP_ROOT') ?: '/usr/share/wordpress', '/');

// Debian's wp-config.php picks /etc/wordpress/config-$WORDPRESS_CONFIG.php.
$_SERVER['WORDPRESS_CONFIG'] = $copydesk_config;
// It also reads HTTP_HOST unconditionally; WordPress reads the others.
$copydesk_parts = parse_url($copydesk_url);
$_SERVER['HTTP_HOST'] = $copydesk_parts['host'] . (isset($copydesk_parts['port']) ? ':' . $copydesk_parts['port'] : '');
$_SERVER['SERVER_NAME'] = $copydesk_parts['host'];
$_SERVER['SERVER_PORT'] = (string) ($copydesk_parts['port'] ?? 80);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
unset($copydesk_parts);

require $copydesk_root . '/wp-load.php';
