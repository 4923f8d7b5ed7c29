#!/usr/bin/env python3
"""Where a wasm module's bytes go: section sizes, and function body bytes summed per library.

Needs a module that keeps function names (link with --profiling-funcs). Usage:
    tools/wasm_sizes.py build/x/imchat.wasm [--top N] [--group NAME]
Groups are guessed from the (demangled) function names by the patterns in GROUPS below."""
import argparse
import re
import subprocess
import sys
import zlib


def leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def read_name(data, pos):
    n, pos = leb(data, pos)
    return data[pos:pos + n].decode("utf-8", "replace"), pos + n


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, body = leb(data, pos + 1)
        yield sid, body, body + size
        pos = body + size


SECTION_NAMES = {0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
                 6: "global", 7: "export", 8: "start", 9: "elem", 10: "code", 11: "data", 12: "datacount"}


def parse(data):
    imported_funcs = 0
    bodies, names, section_sizes = [], {}, {}
    for sid, start, end in sections(data):
        label = SECTION_NAMES.get(sid, str(sid))
        if sid == 0:
            cname, p = read_name(data, start)
            label = "custom:" + cname
            if cname == "name":
                while p < end:
                    sub = data[p]
                    size, p2 = leb(data, p + 1)
                    if sub == 1:
                        count, q = leb(data, p2)
                        for _ in range(count):
                            idx, q = leb(data, q)
                            nm, q = read_name(data, q)
                            names[idx] = nm
                    p = p2 + size
        elif sid == 2:
            count, p = leb(data, start)
            for _ in range(count):
                _, p = read_name(data, p)
                _, p = read_name(data, p)
                kind = data[p]
                p += 1
                if kind == 0:
                    _, p = leb(data, p)
                    imported_funcs += 1
                elif kind == 1:
                    p += 1
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                elif kind == 2:
                    flags, p = leb(data, p)
                    _, p = leb(data, p)
                    if flags & 1:
                        _, p = leb(data, p)
                elif kind == 3:
                    p += 2
        elif sid == 10:
            count, p = leb(data, start)
            for i in range(count):
                size, q = leb(data, p)
                bodies.append((imported_funcs + i, q + size - p))
                p = q + size
        section_sizes[label] = section_sizes.get(label, 0) + end - start
    return bodies, names, section_sizes


def demangle(symbols):
    try:
        out = subprocess.run(["llvm-cxxfilt-14"], input="\n".join(symbols), capture_output=True,
                             text=True, check=True).stdout.split("\n")
        return out[:len(symbols)]
    except (OSError, subprocess.CalledProcessError):
        return symbols


# First match wins: (group, regex matched at the start of the demangled name, after a plain
# return type such as "void " that templates carry).
GROUPS = [
    ("libc++ std::function", r"std::__2::__function::"),
    ("embind", r"emscripten::|_embind_|embind|\(anonymous namespace\)::EmscriptenBindingInitializer"),
    ("rapidjson", r"rapidjson::"),
    ("md4c", r"md_|MD_"),
    ("imgui tables", r"ImGui::Table|ImGuiTable|ImGui::BeginTable|ImGui::EndTable|ImGui::GetCurrentTable"),
    ("imgui text/fonts", r"ImFont|stbtt|stb_|ImGui_ImplStbTrueType|ImTextCharFromUtf8|ImTextStr|ImTextCount|ImGui::RenderText|ImGui::CalcTextSize|ImGui::PushFont|ImGui::PopFont|ImGui::SetCurrentFont|ImGui::UpdateFontsNewFrame"),
    ("imgui draw", r"ImDrawList|ImDrawData|ImDrawListSplitter|ImDrawCmd|ImTriangulator|ImGui::AddDrawList"),
    ("imgui input text", r"ImGui::InputText|ImStb::|STB_TEXTEDIT|stb_text|ImGuiInputTextState|ImGui::InputTextEx"),
    ("imgui drag/slider/scalar", r"ImGui::(Drag|Slider|DataType|Input(Scalar|Int|Float|Double)|ScaleRatio|ScaleValue|RoundScalar|TempInput)|ImParseFormat|ImAtof|ImAtoi|ImFormatString"),
    ("imgui other", r"ImGui|Im[A-Z]"),
    ("imchat", r"imchat::|\(anonymous namespace\)::|main$|main\(|void imchat|_GLOBAL__sub_I"),
    ("printf", r"v?f?s?n?printf|fmt_fp|pop_arg|pad$|out$|getint|__fwrite|__towrite|__stdio|__lockfile|wctomb|wcrtomb|fwrite|fputs|__emscripten_stdout|snprintf|vsnprintf|sn_write|__stpcpy"),
    ("strtod/scanf", r"v?s?scanf|strto|__floatscan|decfloat|hexfloat|scanexp|__intscan|__shgetc|__shlim|__uflow|__toread|string_read|__string_read|arg_n|store_int"),
    ("soft float (long double)", r"__(add|sub|mul|div|extend|trunc|fix|float|lt|gt|le|ge|eq|ne|unord|comp)[a-z0-9]*(tf|ti)[0-9]?$|copysignl|scalbnl|fmodl|frexpl|__fpclassifyl|__signbitl|__ashlti3|__lshrti3|__multi3|__udivti3|__umodti3|__divti3"),
    ("libc++ string", r"std::__2::basic_string|std::__2::to_string|std::__2::__throw"),
    ("libc++ containers", r"std::__2::(vector|__tree|map|__hash|unordered|deque|__split_buffer|list|__list|__vector)"),
    ("libc++ sort/algo", r"std::__2::(__sort|sort|__insertion|__introsort|__stable|__merge|__inplace|__partial|__buffered|__floyd|__sift|__pop_heap|__make_heap|__rotate)"),
    ("libc++ other", r"std::|__cxa|operator new|operator delete|__cxxabiv1|abort_message|__cxx_global"),
    ("malloc", r"dl|emmalloc|sbrk|malloc|free$|realloc|calloc|internal_memalign|dispose_chunk|prepend_alloc|tmalloc|sys_alloc|init_top|add_segment|change_mparam|init_mparams|try_realloc|posix_memalign|aligned_alloc"),
    ("libc mem/str", r"mem|str|wmem|wcs|tolower|toupper|is[a-z]+$|__memcpy|__memset"),
    ("libm", r"sin|cos|tan|pow|exp|log|sqrt|fmod|floor|ceil|round|atan|acos|asin|cbrt|hypot|frexp|ldexp|scalbn|modf|trunc|__rem_pio|__sin|__cos|__tan|__expo"),
]
RETURN_TYPE = re.compile(r"^(?:void|bool|int|unsigned int|unsigned long|long|char|double|float|auto|decltype\(auto\)) ")
COMPILED = [(g, re.compile(r)) for g, r in GROUPS]


def group_of(name):
    name = RETURN_TYPE.sub("", name)
    for g, r in COMPILED:
        if r.match(name):
            return g
    return "other"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wasm")
    ap.add_argument("--top", type=int, default=0, help="also list the N largest functions")
    ap.add_argument("--group", help="list the functions of one group only")
    args = ap.parse_args()
    data = open(args.wasm, "rb").read()
    bodies, names, section_sizes = parse(data)
    raw = [names.get(i, "func%d" % i) for i, _ in bodies]
    pretty = demangle(raw)
    rows = [(size, group_of(p), p) for (_, size), p in zip(bodies, pretty)]
    print("sections (raw bytes):")
    for label, size in sorted(section_sizes.items(), key=lambda kv: -kv[1]):
        print("  %-22s %9d" % (label, size))
    totals = {}
    for size, g, _ in rows:
        n, b = totals.get(g, (0, 0))
        totals[g] = (n + 1, b + size)
    code = sum(s for s, _, _ in rows)
    print("\nfunction bodies by group (raw bytes; %d functions, %d bytes):" % (len(rows), code))
    for g, (n, b) in sorted(totals.items(), key=lambda kv: -kv[1][1]):
        print("  %-30s %5d funcs %8d  %5.1f %%" % (g, n, b, 100.0 * b / code))
    shown = [r for r in rows if args.group is None or r[1] == args.group]
    if args.top or args.group:
        print()
        for size, g, p in sorted(shown, reverse=True)[:args.top or len(shown)]:
            print("%7d  %-22s %s" % (size, g, p[:150]))


if __name__ == "__main__":
    sys.exit(main())
