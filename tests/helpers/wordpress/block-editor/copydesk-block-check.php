<?php
/**
 * Test-only must-use plugin: lets a headless browser open a post in the block editor and report
 * whether the editor finds every block valid and would save the post unchanged.
 *
 * ?copydesk_login=<token> signs in the user named in the option copydesk_block_check (set by the
 * test with run_php) and sends the browser on without the token; on post.php with
 * ?copydesk_check=<post ids> a script waits for the editor, then does to each of those posts what the
 * editor does when it opens one (parse, validate every block, serialise again) and writes the verdicts
 * as JSON into <pre id="copydesk-check">.
 */

add_action('init', function () {
    $wanted = get_option('copydesk_block_check');
    if (!is_array($wanted) || !isset($_GET['copydesk_login'])) {
        return;
    }
    if (!hash_equals((string) $wanted['token'], (string) $_GET['copydesk_login'])) {
        return;
    }
    $user = get_user_by('login', $wanted['user']);
    if (!$user) {
        return;
    }
    wp_set_current_user($user->ID);
    wp_set_auth_cookie($user->ID);
    wp_safe_redirect(remove_query_arg('copydesk_login'));
    exit;
});

add_action('admin_footer-post.php', function () {
    if (!isset($_GET['copydesk_check'])) {
        return;
    }
    ?>
<script>
(function () {
    function report(result) {
        var pre = document.createElement('pre');
        pre.id = 'copydesk-check';
        pre.textContent = JSON.stringify(result);
        document.body.appendChild(pre);
    }
    function invalid(blocks, out) {
        blocks.forEach(function (block) {
            if (!block.isValid) { out.push(block.name); }
            invalid(block.innerBlocks, out);
        });
        return out;
    }
    function judge(id) {  // what the editor does when it opens the post: parse, validate, serialise
        return wp.apiFetch({path: '/wp/v2/posts/' + id + '?context=edit'}).then(function (post) {
            var raw = post.content.raw;
            var blocks = wp.blocks.parse(raw);
            var saved = wp.blocks.serialize(blocks);
            return {id: id, invalid: invalid(blocks, []), unchanged: saved === raw, saved: saved};
        });
    }
    var ids = <?php echo wp_json_encode(array_map('intval', explode(',', $_GET['copydesk_check']))); ?>;
    var waited = 0;
    var timer = setInterval(function () {
        waited += 1;
        var ready = window.wp && wp.data && wp.blocks && wp.apiFetch
            && wp.data.select('core/block-editor').getBlocks().length > 0;
        if (ready) {
            clearInterval(timer);
            Promise.all(ids.map(judge)).then(report, function (error) {
                report({error: String(error && error.message || error)});
            });
        } else if (waited > 600) {
            clearInterval(timer);
            report({error: 'the editor did not load its blocks'});
        }
    }, 100);
})();
</script>
    <?php
});
