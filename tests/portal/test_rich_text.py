"""The one Markdown sanitiser: what staff write keeps its form, never its scripts."""

from django.template import Context, Template

from portal.rich_text import markdown_to_html


def test_markdown_keeps_headings_lists_tables_and_safe_links():
    html = markdown_to_html(
        "## Règlement\n\n- **un**\n- *deux*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[Medef](https://www.medef.com/) [écrire](mailto:a@b.fr)"
    )
    assert "<h2>Règlement</h2>" in html
    assert "<li><strong>un</strong></li>" in html
    assert "<td>1</td>" in html
    assert '<a href="https://www.medef.com/" rel="noopener noreferrer nofollow">Medef</a>' in html
    assert 'href="mailto:a@b.fr"' in html


def test_scripts_event_handlers_styles_and_dangerous_urls_are_removed():
    html = markdown_to_html(
        "<script>alert(1)</script>\n\n"
        "[a](javascript:alert(2)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](vbscript:msgbox)\n\n"
        '<p onclick="alert(3)" style="color:red" class="x" id="y">texte</p>\n\n'
        '<img src="x" onerror="alert(4)"><iframe src="https://evil.example"></iframe>'
        '<a href="https://ok.example" target="_blank" onmouseover="alert(5)">ok</a>'
    )
    for forbidden in ("<script", "alert(1)", "javascript:", "data:", "vbscript:", "onclick", "onerror", "onmouseover",
                      "style=", "class=", "id=", "<img", "<iframe", "target="):
        assert forbidden not in html, forbidden
    assert "<p>texte</p>" in html
    assert 'href="https://ok.example"' in html


def test_the_template_filter_renders_sanitised_markdown_and_nothing_for_no_text():
    template = Template("{% load portal_tags %}[{{ text|markdown }}]")
    assert template.render(Context({"text": "**Gras** <script>x</script>"})) == "[<p><strong>Gras</strong> </p>]"
    assert template.render(Context({"text": None})) == "[]"
