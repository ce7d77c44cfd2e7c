<?php
/**
 * Run PHP code, read from stdin, inside the Copydesk test site's WordPress.
 *
 * Used by WordPressServer.run_php(); the environment is the one described
 * in cli-bootstrap.php. The code runs in the global scope after wp-load.php,
 * so $wpdb and every WordPress function are there. It may start with "<?php"
 * or not. Whatever it prints is returned to Python.
 */

declare(strict_types=1);

require __DIR__ . '/cli-bootstrap.php';

$copydesk_code = stream_get_contents(STDIN);
if (str_starts_with(ltrim($copydesk_code), '<?php')) {
    $copydesk_code = '?>' . ltrim($copydesk_code);
}
eval($copydesk_code);
