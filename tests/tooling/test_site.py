"""lesson_book.site: the checks of a built book, tried without a browser on small made-up sites and on what a browser would find."""

from __future__ import annotations

import pytest

from lesson_book.book import CC_BY, ROOT
from lesson_book.site import (
    ALL_EPISODES,
    BINDER,
    COLAB,
    EXEC_TABLE_HEADER,
    OVERVIEW,
    accessibility_problems,
    address_problems,
    built_address,
    built_pages,
    cost_page_problems,
    episode_pages,
    exercise_number_problems,
    image_alt_problem,
    instructor_view_pages,
    launch_problems,
    learner_exercise_problems,
    learner_link_problems,
    link_problem,
    notebook_exercise_titles,
    redirect_target,
)


def test_redirect_target_reads_the_refresh_address(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<html><head><meta http-equiv="Refresh" content="0; url=intro.html" /></head></html>')
    assert redirect_target(page) == "intro.html"
    page.write_text('<html><head><meta charset="utf-8"></head><body><p>home</p></body></html>')
    assert redirect_target(page) is None
    assert built_pages(tmp_path) == ["index.html"]


@pytest.mark.parametrize(
    ("alt", "problem"),
    [
        ("Twenty handwritten digits.", None),
        (None, "has no alt text"),
        ("  ", "has no alt text"),
        ("figure.png", "has a file name as alt text ('figure.png')"),
        ("abc123.PNG", "has a file name as alt text ('abc123.PNG')"),
        ("d55e375d", "has a file name as alt text ('d55e375d')"),
    ],
)
def test_image_alt_problem(alt, problem):
    assert image_alt_problem(alt, "http://127.0.0.1:1/_images/d55e375d") == problem


def test_link_problem_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "index.html").write_text('<p id="top">x</p>', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text('<h2 id="a-b">x</h2><a name="n"></a>')
    base = "http://127.0.0.1:9/"
    assert link_problem(base + "sub/page.html#a-b", base, tmp_path) is None
    assert link_problem(base + "sub/page.html#n", base, tmp_path) is None
    assert link_problem(base + "#top", base, tmp_path) is None
    assert link_problem(base + "sub/page.html", base, tmp_path) is None
    assert "does not exist" in link_problem(base + "sub/gone.html", base, tmp_path)
    assert "anchor" in link_problem(base + "sub/page.html#nope", base, tmp_path)
    assert "does not exist" in link_problem(base + "sub/", base, tmp_path)


def test_launch_problems_accepts_the_right_links_and_names_wrong_ones():
    owner_repo, branch = built_address()
    ipynb = "lessons/mnist-exercise.ipynb"
    good = [
        f"{BINDER}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{ipynb}",
        f"{COLAB}/github/{owner_repo}/blob/{branch}/{ipynb}",
        "http://127.0.0.1:9/_static/learner/mnist-exercise.ipynb",
    ]
    assert launch_problems("lessons/mnist-exercise.html", good, ipynb) == []
    wrong = [good[0].replace(branch, "other-branch"), good[1].replace(".ipynb", ".md")]
    problems = launch_problems("lessons/mnist-exercise.html", wrong, ipynb)
    assert [problem.split(" link")[0] for problem in problems[:2]] == ["no Binder", "no Colab"]
    assert "no download link" in problems[2]


def test_learner_link_problems_want_both_notebooks_and_nothing_else(tmp_path):
    base = "http://127.0.0.1:9/"
    owner_repo, branch = built_address()
    menu = [base + "_static/learner/pooling.ipynb", base + "_static/learner/workbooks/pooling.ipynb"]
    launch = [
        f"{COLAB}/github/{owner_repo}/blob/{branch}/lessons/{path}"
        for path in ("pooling.ipynb", "workbooks/pooling.ipynb")
    ] + [
        f"{BINDER}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/lessons/{path}"
        for path in ("pooling.ipynb", "workbooks/pooling.ipynb")
    ]
    builds_on = [base + "lessons/convolution.html"]  # pooling's front matter: builds-on
    problems = learner_link_problems("lessons/pooling.html", menu, menu + launch + builds_on, base, tmp_path)
    assert not [p for p in problems if "menu" in p or "box" in p]
    problems = learner_link_problems("lessons/pooling.html", menu, menu + launch, base, tmp_path)
    assert any("Overview box links" in p for p in problems)  # the episode it builds on is missing
    with_source = menu + [base + "_sources/lessons/pooling.md"]
    problems = learner_link_problems("lessons/pooling.html", with_source, menu, base, tmp_path)
    assert any("download menu offers" in p for p in problems)
    assert any("Overview box links" in p for p in problems)


def test_address_problems_want_the_books_repository_and_its_licences():
    owner_repo, branch = built_address()
    licences = [CC_BY, f"https://github.com/{owner_repo}/blob/{branch}/LICENSE.md"]
    ours = f"{COLAB}/github/{owner_repo}/blob/{branch}/lessons/pooling.ipynb"
    assert address_problems([ours, *licences]) == []
    theirs = f"{BINDER}/v2/gh/someone/else/{branch}?urlpath=lab/tree/lessons/pooling.ipynb"
    assert address_problems([theirs, *licences]) == [f"{theirs} opens another repository than {owner_repo}"]
    assert address_problems([ours, licences[0]]) == [f"no link to the licence {licences[1]}"]


def test_learner_exercise_problems_compare_each_notebooks_headings_with_the_page():
    titles = notebook_exercise_titles(ROOT / "lessons" / "workbooks" / "pooling.ipynb")
    assert titles[:2] == ["Exercise 1", "Exercise 2"]
    assert learner_exercise_problems("lessons/pooling.html", titles) == []
    problems = learner_exercise_problems("lessons/pooling.html", titles[:-1])
    assert [problem.split(" has ")[0] for problem in problems] == ["lessons/pooling.ipynb", "lessons/workbooks/pooling.ipynb"]


def test_accessibility_problems_keep_serious_and_critical_violations():
    violations = [
        {"id": "color-contrast", "impact": "serious", "help": "Contrast", "nodes": ["span"], "count": 3},
        {"id": "region", "impact": "moderate", "help": "Landmarks", "nodes": ["div"], "count": 1},
        {"id": "button-name", "impact": "critical", "help": "Names", "nodes": ["#b", "#c"], "count": 2},
    ]
    assert accessibility_problems(violations) == [
        "serious color-contrast (Contrast): 3 element(s), e.g. span",
        "critical button-name (Names): 2 element(s), e.g. #b, #c",
    ]


def test_exercise_number_problems_want_one_two_three():
    assert exercise_number_problems([]) == []
    assert exercise_number_problems(["Exercise 1", "Exercise 2"]) == []
    assert exercise_number_problems(["Exercise 18", "Exercise 19"]) == [
        "exercises numbered ['Exercise 18', 'Exercise 19'], not from 1 on this page "
        "(['Exercise 1', 'Exercise 2'])"
    ]


def test_instructor_view_pages_finds_episodes_with_notes_and_the_gathering_page(tmp_path):
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "b.html").write_text('<div class="instructor admonition">')
    (tmp_path / "lessons" / "a.html").write_text('<div class="instructor admonition">')
    (tmp_path / "lessons" / "c.html").write_text('<div class="note admonition">')
    gathered = '<div class="instructor instructor-always-shown admonition">'
    (tmp_path / "notes.html").write_text(gathered)
    assert instructor_view_pages(tmp_path) == (["lessons/a.html", "lessons/b.html"], "notes.html")


def test_cost_page_problems_want_both_tables_and_where_the_figures_came_from():
    executed = [EXEC_TABLE_HEADER, ["lessons/pooling", "2026-11-30 10:00", "cache", "11.2", "✅"]]
    benchmark = [["notebook", "wall s", "peak MiB", "result"],
                 ["lessons/pooling.md", "11.1", "901.0", "PASS"]]
    text = "Measured on 2026-11-21: a CPU, 2 cores."
    assert cost_page_problems([executed, benchmark], text) == []
    assert cost_page_problems([executed[:1], benchmark], text) == [
        "no execution table ({nb-exec-table}) with a row per notebook"
    ]
    assert cost_page_problems([executed], "") == [
        "no benchmark table of the notebooks (pages/_bench.md)",
        "no machine and date for the benchmark's figures",
    ]


def test_episode_pages_are_the_pages_with_an_overview_box_in_reading_order(tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "b.html").write_text(f"<div {OVERVIEW}>")
    (tmp_path / "lessons" / "a.html").write_text(f"<div {OVERVIEW}>")
    (tmp_path / "intro.html").write_text("<p>home</p>")
    (tmp_path / "all.html").write_text(f"<div {ALL_EPISODES}><div {OVERVIEW}>")
    order = ["intro", "lessons/b", "lessons/a", "all", "lessons/gone"]
    assert episode_pages(order, tmp_path) == ["lessons/b.html", "lessons/a.html"]
