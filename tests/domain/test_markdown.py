from annotations.domain.markdown import render


def test_markdown_is_rendered_and_sanitised() -> None:
    html = render("# Title\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_a_short_text_is_rendered_once_per_process_and_a_long_one_every_time() -> None:
    from annotations.domain import markdown

    text = "Keep the **horizon** low. <script>x</script>"
    first = render(text)
    before = markdown._render_cached.cache_info().hits
    assert render(text) == first == markdown._render(text)
    assert markdown._render_cached.cache_info().hits == before + 1
    long = "word " * (markdown.CACHED_MAX_CHARS // 5 + 1)
    misses = markdown._render_cached.cache_info().misses
    assert render(long) == markdown._render(long)
    assert markdown._render_cached.cache_info().misses == misses  # not kept: long texts are rendered each time
