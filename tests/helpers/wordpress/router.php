<?php
/**
 * Router for PHP's built-in web server, serving the Copydesk test site:
 *
 *   COPYDESK_WP_CONFIG=<name> COPYDESK_WP_CONTENT_DIR=<dir> \
 *   php -S 127.0.0.1:PORT -t /usr/share/wordpress router.php
 *
 * - Sets $_SERVER['WORDPRESS_CONFIG'], so Debian's wp-config.php loads
 *   /etc/wordpress/config-<name>.php (the per-run config).
 * - /wp-content/... is served from the per-run content directory (uploads,
 *   and the themes/plugins symlinks); PHP files there are never run.
 * - Existing files under the document root: .php files run, anything else
 *   is served by the built-in server (return false).
 * - Every other path goes to index.php, as Apache's rewrite rules would do,
 *   so pretty permalinks work: /wp-json/wp/v2/posts as well as
 *   /?rest_route=/wp/v2/posts.
 *
 * The router runs for each request in the global scope; everything WordPress
 * needs is required from here at top level, never from inside a function.
 */

declare(strict_types=1);

$copydesk_config = getenv('COPYDESK_WP_CONFIG');
$copydesk_content = getenv('COPYDESK_WP_CONTENT_DIR');
if ($copydesk_config === false || preg_match('/^[a-zA-Z0-9-]+$/', $copydesk_config) !== 1 || $copydesk_content === false) {
    http_response_code(500);
    header('Content-Type: text/plain');
    echo "router.php: COPYDESK_WP_CONFIG / COPYDESK_WP_CONTENT_DIR not set\n";
    return true;
}
$_SERVER['WORDPRESS_CONFIG'] = $copydesk_config;

$copydesk_root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$copydesk_path = rawurldecode((string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
if ($copydesk_path === '' || str_contains($copydesk_path, "\0") || preg_match('#(^|/)\.\.(/|$)#', $copydesk_path) === 1) {
    http_response_code(400);
    return true;
}

/**
 * Send one static file from the per-run wp-content directory, or a 404.
 */
function copydesk_serve_content(string $content_dir, string $relative): void
{
    $types = array(
        'png' => 'image/png', 'jpg' => 'image/jpeg', 'jpeg' => 'image/jpeg', 'gif' => 'image/gif',
        'webp' => 'image/webp', 'avif' => 'image/avif', 'svg' => 'image/svg+xml', 'ico' => 'image/x-icon',
        'css' => 'text/css', 'js' => 'text/javascript', 'json' => 'application/json',
        'txt' => 'text/plain', 'html' => 'text/html', 'pdf' => 'application/pdf',
        'woff' => 'font/woff', 'woff2' => 'font/woff2', 'ttf' => 'font/ttf',
        'mp3' => 'audio/mpeg', 'mp4' => 'video/mp4', 'webm' => 'video/webm', 'zip' => 'application/zip',
    );
    $file = $content_dir . $relative;
    $extension = strtolower(pathinfo($file, PATHINFO_EXTENSION));
    if ($extension === 'php' || !is_file($file) || !is_readable($file)) {
        http_response_code(404);
        header('Content-Type: text/plain');
        echo "Not found\n";
        return;
    }
    $type = $types[$extension] ?? (mime_content_type($file) ?: 'application/octet-stream');
    header('Content-Type: ' . $type);
    header('Content-Length: ' . filesize($file));
    header('Last-Modified: ' . gmdate('D, d M Y H:i:s', (int) filemtime($file)) . ' GMT');
    if ($_SERVER['REQUEST_METHOD'] !== 'HEAD') {
        readfile($file);
    }
}

if (str_starts_with($copydesk_path, '/wp-content/')) {
    copydesk_serve_content(rtrim($copydesk_content, '/'), substr($copydesk_path, strlen('/wp-content')));
    return true;
}

$copydesk_file = $copydesk_root . $copydesk_path;
if (is_dir($copydesk_file)) {
    if (!str_ends_with($copydesk_path, '/')) {
        // Like Apache's DirectorySlash: /wp-admin -> /wp-admin/
        $copydesk_query = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_QUERY);
        header('Location: ' . $copydesk_path . '/' . ($copydesk_query === '' ? '' : '?' . $copydesk_query), true, 301);
        return true;
    }
    $copydesk_path .= 'index.php';
    $copydesk_file .= 'index.php';
}

if (!is_file($copydesk_file)) {
    // Not a file: WordPress's front controller decides (permalinks, REST).
    $copydesk_path = '/index.php';
    $copydesk_file = $copydesk_root . '/index.php';
} elseif (!str_ends_with($copydesk_path, '.php')) {
    return false;  // a static file under /usr/share/wordpress
}

$_SERVER['SCRIPT_NAME'] = $copydesk_path;
$_SERVER['PHP_SELF'] = $copydesk_path;
$_SERVER['SCRIPT_FILENAME'] = $copydesk_file;
chdir(dirname($copydesk_file));
unset($copydesk_config, $copydesk_content, $copydesk_root, $copydesk_query);
require $copydesk_file;
return true;
