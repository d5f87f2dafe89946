"""benchmarks/RESULTS.md is shared: each benchmark script owns one top-level section ("# Title" up to the
next top-level heading) and replaces only that one, so a rerun of one benchmark keeps the others' figures.
A section that is not there yet is appended; the order of the others is kept.
"""

import os


def split_sections(text):
    """The file as (title, lines) pairs, title None for what comes before the first heading. Lines inside
    ``` fences are never headings."""
    sections, title, lines, fenced = [], None, [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("# "):
            sections.append((title, lines))
            title, lines = line[2:].strip(), []
        lines.append(line)
    sections.append((title, lines))
    return [(t, ls) for t, ls in sections if t is not None or any(s.strip() for s in ls)]


def replace_section(path, title, body):
    """Writes `# title` followed by `body` (lines, without the heading) into path in place of the section of
    that title, keeping every other section as it was."""
    text = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    new = [f"# {title}", *body]
    while new and not new[-1].strip():
        new.pop()
    sections, replaced = [], False
    for name, lines in split_sections(text):
        if name == title:
            if not replaced:
                sections.append(new)
            replaced = True
            continue
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        sections.append(lines)
    if not replaced:
        sections.append(new)
    with open(path, "w") as f:
        f.write("\n\n".join("\n".join(lines) for lines in sections) + "\n")
