"""Guards on the web app's own JavaScript (no build step, so the sources are what the browser runs).

* No function is longer than 60 lines: ``function`` declarations and expressions, class and object
  methods (getters, setters, ``async``/``static``) and arrow functions with a block body, each measured
  from the line where it starts to the line of its closing brace. Nested functions count on their own
  and inside the function around them.
* Every import specifier is relative (``./lib/api.js``), never ``/static/...``: the app must load
  under a path prefix such as ``/lct``.

The scanner below tokenises JavaScript itself (strings, template literals with nested ``${}``, regular
expression literals and comments are skipped), so a brace inside any of them does not count, and
matches brackets on the tokens. The self-tests at the end prove that it really measures.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "src" / "lct" / "web" / "static"
MAX_FUNCTION_LINES = 60

_PUNCTUATORS: tuple[str, ...] = (
    *(">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??="),
    *("=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|="),
    *("^=", "**", "<<", ">>"),
    *"{}()[];,<>+-*/%&|^!~?:=.@",
)  # longest first
_NAME_RE = re.compile(r"#?[A-Za-z_$\u00c0-\uffff][\w$\u00c0-\uffff]*")
_NUMBER_RE = re.compile(r"\.?\d[\w.]*")
# After these names a "/" starts a regular expression, not a division.
_REGEX_AFTER_NAMES = frozenset(
    {
        "return",
        "typeof",
        "instanceof",
        "in",
        "of",
        "new",
        "delete",
        "void",
        "throw",
        "case",
        "do",
        "else",
        "yield",
        "await",
    }
)
# A name followed by "(...) {" that is not a method.
_NOT_METHODS = frozenset(
    {"if", "for", "while", "switch", "catch", "with", "function", "return", "typeof", "await", "yield"}
)
_OPENERS = {"(": ")", "[": "]", "{": "}"}


class ScanError(ValueError):
    pass


@dataclass(frozen=True)
class Token:
    kind: str  # name, punct, string, template, regex, number
    text: str
    line: int


@dataclass(frozen=True)
class Function:
    name: str
    start: int
    end: int

    @property
    def lines(self) -> int:
        return self.end - self.start + 1


class _Tokenizer:
    def __init__(self, source: str) -> None:
        self.src = source
        self.newlines = [i for i, c in enumerate(source) if c == "\n"]
        self.tokens: list[Token] = []
        self.braces: list[str] = []  # "code" for "{", "template" for "${"
        self.prev: Token | None = None

    def line(self, index: int) -> int:
        return bisect.bisect_right(self.newlines, index - 1) + 1

    def emit(self, kind: str, text: str, start: int) -> None:
        token = Token(kind, text, self.line(start))
        self.tokens.append(token)
        self.prev = token

    def regex_allowed(self) -> bool:
        prev = self.prev
        if prev is None:
            return True
        if prev.kind == "punct":
            return prev.text not in {")", "]", "++", "--"}
        return prev.kind == "name" and prev.text in _REGEX_AFTER_NAMES

    def run(self) -> list[Token]:
        i, n = 0, len(self.src)
        if self.src.startswith("#!"):
            i = self.src.find("\n") if "\n" in self.src else n
        while i < n:
            i = self.step(i)
        if self.braces:
            raise ScanError(f"unclosed {self.braces[-1]} brace at end of file")
        return self.tokens

    def step(self, i: int) -> int:
        src, c = self.src, self.src[i]
        if c.isspace():
            return i + 1
        if src.startswith("//", i):
            end = src.find("\n", i)
            return len(src) if end < 0 else end
        if src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                raise ScanError(f"unterminated comment on line {self.line(i)}")
            return end + 2
        if c in "\"'":
            return self.string(i)
        if c == "`":
            return self.template(i, i + 1)
        if c == "/" and self.regex_allowed():
            return self.regex(i)
        if c == "}" and self.braces and self.braces[-1] == "template":
            self.braces.pop()
            return self.template(i, i + 1)
        return self.word_or_punct(i)

    def word_or_punct(self, i: int) -> int:
        src, c = self.src, self.src[i]
        if c.isdigit() or (c == "." and i + 1 < len(src) and src[i + 1].isdigit()):
            match = _NUMBER_RE.match(src, i)
            assert match
            self.emit("number", match.group(), i)
            return match.end()
        match = _NAME_RE.match(src, i)
        if match:
            self.emit("name", match.group(), i)
            return match.end()
        for punct in _PUNCTUATORS:
            if src.startswith(punct, i):
                if punct == "{":
                    self.braces.append("code")
                elif punct == "}":
                    if not self.braces:
                        raise ScanError(f"unbalanced }} on line {self.line(i)}")
                    self.braces.pop()
                self.emit("punct", punct, i)
                return i + len(punct)
        raise ScanError(f"unexpected character {c!r} on line {self.line(i)}")

    def string(self, start: int) -> int:
        quote, i = self.src[start], start + 1
        while i < len(self.src):
            c = self.src[i]
            if c == "\\":
                i += 2
            elif c == quote:
                self.emit("string", self.src[start + 1 : i], start)
                return i + 1
            elif c == "\n":
                break
            else:
                i += 1
        raise ScanError(f"unterminated string on line {self.line(start)}")

    def template(self, start: int, i: int) -> int:
        """Template text from ``i`` up to the closing backtick or the next ``${`` (code follows)."""
        while i < len(self.src):
            c = self.src[i]
            if c == "\\":
                i += 2
            elif c == "`":
                self.emit("template", self.src[start : i + 1], start)
                return i + 1
            elif self.src.startswith("${", i):
                self.braces.append("template")
                self.prev = Token("punct", "${", self.line(i))  # an expression starts: "/" is a regex
                return i + 2
            else:
                i += 1
        raise ScanError(f"unterminated template literal on line {self.line(start)}")

    def regex(self, start: int) -> int:
        i, in_class = start + 1, False
        while i < len(self.src):
            c = self.src[i]
            if c == "\\":
                i += 2
                continue
            if c == "\n":
                break
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                end = i + 1
                while end < len(self.src) and (self.src[end].isalnum() or self.src[end] == "_"):
                    end += 1
                self.emit("regex", self.src[start:end], start)
                return end
            i += 1
        raise ScanError(f"unterminated regular expression on line {self.line(start)}")


def tokenize(source: str) -> list[Token]:
    return _Tokenizer(source).run()


def _matching(tokens: list[Token]) -> dict[int, int]:
    """Index of every bracket token -> index of its partner."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.kind != "punct":
            continue
        if token.text in _OPENERS:
            stack.append(index)
        elif token.text in _OPENERS.values():
            if not stack or _OPENERS[tokens[stack[-1]].text] != token.text:
                raise ScanError(f"unbalanced {token.text} on line {token.line}")
            opener = stack.pop()
            pairs[opener], pairs[index] = index, opener
    if stack:
        raise ScanError(f"unclosed {tokens[stack[-1]].text} on line {tokens[stack[-1]].line}")
    return pairs


def _is(token: Token | None, text: str) -> bool:
    return token is not None and token.kind == "punct" and token.text == text


def _kind(tokens: list[Token], index: int) -> str | None:
    return tokens[index].kind if 0 <= index < len(tokens) else None


class _FunctionFinder:
    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.pairs = _matching(self.tokens)

    def at(self, index: int) -> Token | None:
        return self.tokens[index] if 0 <= index < len(self.tokens) else None

    def body_after(self, paren: int) -> int | None:
        """Index of the ``{`` right after the parameter list opening at ``paren``, if any."""
        if not _is(self.at(paren), "("):
            return None
        brace = self.pairs[paren] + 1
        return brace if _is(self.at(brace), "{") else None

    def function(self, name: str, start_line: int, brace: int) -> Function:
        return Function(name, start_line, self.tokens[self.pairs[brace]].line)

    def declaration(self, index: int) -> Function | None:
        """``function name(...) {`` (also anonymous, ``function*`` and ``async function``)."""
        paren = index + 1 + _is(self.at(index + 1), "*")
        name = "<function>"
        if _kind(self.tokens, paren) == "name":
            name, paren = self.tokens[paren].text, paren + 1
        brace = self.body_after(paren)
        return None if brace is None else self.function(name, self.tokens[index].line, brace)

    def arrow(self, index: int) -> Function | None:
        """``(params) => {`` or ``param => {``; an expression body is not a block, not measured."""
        if not _is(self.at(index + 1), "{"):
            return None
        params = self.pairs[index - 1] if _is(self.at(index - 1), ")") else index - 1
        return self.function(self.arrow_name(params), self.tokens[params].line, index + 1)

    def arrow_name(self, params: int) -> str:
        before = params - 1
        if _kind(self.tokens, before) == "name" and self.tokens[before].text == "async":
            before -= 1
        if (_is(self.at(before), "=") or _is(self.at(before), ":")) and _kind(self.tokens, before - 1) == "name":
            return self.tokens[before - 1].text
        return "<arrow>"

    def method(self, index: int) -> Function | None:
        """``name(...) {`` in a class or object literal (with ``get``/``set``/``async``/``static``)."""
        token = self.tokens[index]
        if token.text in _NOT_METHODS or _is(self.at(index - 1), ".") or self.names_a_declaration(index):
            return None
        brace = self.body_after(index + 1)
        return None if brace is None else self.function(token.text, token.line, brace)

    def names_a_declaration(self, index: int) -> bool:
        before = [t.text for t in self.tokens[max(0, index - 2) : index]]
        return before[-1:] == ["function"] or before == ["function", "*"]

    def find(self) -> list[Function]:
        found = []
        for index, token in enumerate(self.tokens):
            if token.kind == "name":
                found.append(self.declaration(index) if token.text == "function" else self.method(index))
            elif _is(token, "=>"):
                found.append(self.arrow(index))
        return [f for f in found if f is not None]


def find_functions(source: str) -> list[Function]:
    return _FunctionFinder(source).find()


def import_specifiers(source: str) -> list[str]:
    """Specifiers of static imports, re-exports (``export ... from``) and ``import("...")``."""
    tokens = tokenize(source)
    specifiers = []
    for index, token in enumerate(tokens[:-1]):
        if token.kind != "name" or token.text not in {"import", "from"}:
            continue
        following = tokens[index + 1]
        if following.kind == "string":
            specifiers.append(following.text)
        elif token.text == "import" and _is(following, "(") and _kind(tokens, index + 2) in {"string", "template"}:
            specifiers.append(tokens[index + 2].text.strip("`"))
    return specifiers


def static_js_files() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.suffix in {".js", ".mjs"} and p.is_file())


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(STATIC)) for p in paths]


# ---------------------------------------------------------------- the guards


@pytest.mark.parametrize("path", static_js_files(), ids=_ids(static_js_files()))
def test_no_function_is_longer_than_60_lines(path: Path) -> None:
    functions = find_functions(path.read_text(encoding="utf-8"))

    too_long = [f"{f.name} (lines {f.start}-{f.end}: {f.lines})" for f in functions if f.lines > MAX_FUNCTION_LINES]
    assert too_long == [], f"{path.relative_to(STATIC)}: split these functions up"


@pytest.mark.parametrize("path", static_js_files(), ids=_ids(static_js_files()))
def test_imports_are_relative(path: Path) -> None:
    specifiers = import_specifiers(path.read_text(encoding="utf-8"))

    assert [s for s in specifiers if not s.startswith(("./", "../"))] == []


def test_the_app_is_split_into_modules_that_the_scanner_sees() -> None:
    files = {str(p.relative_to(STATIC)) for p in static_js_files()}
    functions = {str(p.relative_to(STATIC)): find_functions(p.read_text(encoding="utf-8")) for p in static_js_files()}

    assert {"app.js", "lib/api.js", "lib/hub.js", "lib/paths.js", "lib/ui.js", "screens/pick.js"} <= files
    assert sum(len(found) for found in functions.values()) > 80
    assert "renderPick" in {f.name for f in functions["screens/pick.js"]}
    assert {"receive", "refresh", "constructor"} <= {f.name for f in functions["lib/hub.js"]}
    entry = (STATIC / "app.js").read_text(encoding="utf-8")
    assert "./screens/pick.js" in import_specifiers(entry)


# ---------------------------------------------------------------- the scanner itself


def _lines(*parts: str | list[str]) -> str:
    """JavaScript source from lines and lists of lines."""
    flat = [line for part in parts for line in ([part] if isinstance(part, str) else part)]
    return "\n".join(flat) + "\n"


def _body(count: int, indent: str = "  ") -> list[str]:
    return [f"{indent}total += {i};" for i in range(count)]


def test_scanner_measures_a_long_function_despite_braces_in_strings_regexes_templates_and_comments() -> None:
    source = _lines(
        "// a comment with { and function f() {",
        "/* a block comment } } { */",
        "function long() {",  # line 3
        """  const a = "}}}"; const b = '{';""",
        "  const re = /[}{/]+\\/}/g;",
        "  const c = `${a + `${b}}`}` + `}`;",
        "  const d = x / 2 / y; // } division, not a regex",
        _body(60),  # lines 8-67
        "}",  # line 68
        "function short() { return '}'; }",
    )

    functions = find_functions(source)

    assert [(f.name, f.start, f.end, f.lines) for f in functions] == [("long", 3, 68, 66), ("short", 69, 69, 1)]


def test_scanner_measures_methods_and_arrow_functions() -> None:
    source = _lines(
        "export class Thing {",
        "  constructor(x) {",  # line 2
        "    this.x = x;",
        "  }",
        "  get value() {",  # line 5
        _body(61, "    "),
        "  }",  # line 67
        "  async load(",
        "    id,",
        "  ) {",
        "    if (id) { return 1; }",
        "  }",  # line 72
        "}",
        "const handler = async (event) => {",  # line 74
        _body(59),
        "};",  # line 134
        "const obj = { onclick: () => { go(); }, render() { return h('p', {}); } };",
        "items.map((item) => item.x);",  # an expression body is not measured
    )

    functions = {f.name: f for f in find_functions(source)}

    assert {name: (f.start, f.end) for name, f in functions.items()} == {
        "constructor": (2, 4),
        "value": (5, 67),
        "load": (68, 72),
        "handler": (74, 134),
        "onclick": (135, 135),
        "render": (135, 135),
    }
    assert [name for name, f in functions.items() if f.lines > MAX_FUNCTION_LINES] == ["value", "handler"]


def test_scanner_counts_a_nested_function_in_its_outer_one() -> None:
    source = _lines("function outer() {", "  function inner() {", _body(60, "    "), "  }", "}")

    lines = {f.name: f.lines for f in find_functions(source)}

    assert lines == {"outer": 64, "inner": 62}


def test_scanner_finds_absolute_relative_and_dynamic_imports() -> None:
    source = (
        'import { t } from "/static/i18n.js";\n'
        'import "./side-effect.js";\n'
        "export * from '../lib/api.js';\n"
        'const lazy = () => import("./screens/pick.js");\n'
        'const from = "not an import";\n'
    )

    assert import_specifiers(source) == ["/static/i18n.js", "./side-effect.js", "../lib/api.js", "./screens/pick.js"]


@pytest.mark.parametrize("broken", ["const a = 'open;\n", "f(`${x`);\n", "function f() {\n", "/* never closed"])
def test_scanner_refuses_what_it_cannot_read(broken: str) -> None:
    with pytest.raises(ScanError):
        find_functions(broken)
