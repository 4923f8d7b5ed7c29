// The math pre-pass: lines sorted into fences, blank lines and paragraph runs; each run
// scanned for code spans and formulas (rules in math_detect.h).
#include "core/math_detect.h"

#include <algorithm>
#include <array>

namespace imchat {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_blank(std::string_view s) {
    return std::all_of(s.begin(), s.end(), is_space);
}

bool starts_with(std::string_view s, size_t at, std::string_view prefix) {
    return s.size() - at >= prefix.size() && s.compare(at, prefix.size(), prefix) == 0;
}

// Where a line's content starts past its containers' markers (quotes, list bullets and numbers,
// indentation): a fence inside a list item or a quote is still a fence.
size_t content_start(std::string_view line) {
    size_t i = 0, n = line.size();
    for (;;) {
        while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i < n && line[i] == '>') { ++i; continue; }
        if (i + 1 < n && (line[i] == '-' || line[i] == '*' || line[i] == '+') &&
            (line[i + 1] == ' ' || line[i + 1] == '\t')) { i += 2; continue; }
        size_t d = i;
        while (d < n && d - i < 9 && line[d] >= '0' && line[d] <= '9') ++d;
        if (d > i && d + 1 < n && (line[d] == '.' || line[d] == ')') &&
            (line[d + 1] == ' ' || line[d + 1] == '\t')) { i = d + 2; continue; }
        return i;
    }
}

// A fence line: three or more '`' or '~' (a backtick fence's info has no backtick).
bool fence_at(std::string_view line, char& ch, uint8_t& length) {
    size_t i = content_start(line);
    if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return false;
    char c = line[i];
    size_t n = 0;
    while (i + n < line.size() && line[i + n] == c) ++n;
    if (n < 3) return false;
    if (c == '`' && line.find('`', i + n) != std::string_view::npos) return false;
    ch = c;
    length = uint8_t(std::min<size_t>(n, 255));
    return true;
}

bool closes_fence(std::string_view line, char ch, uint8_t length) {
    size_t i = content_start(line);
    size_t n = 0;
    while (i + n < line.size() && line[i + n] == ch) ++n;
    return n >= length && is_blank(line.substr(i + n));
}

// The AMS environments MathJax typesets when they stand bare in the text.
bool is_display_environment(std::string_view name) {
    static constexpr std::array<std::string_view, 9> kNames = {
        "equation", "align", "alignat", "gather", "multline", "flalign", "eqnarray", "displaymath", "CD"};
    if (!name.empty() && name.back() == '*') name.remove_suffix(1);
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

constexpr size_t npos = std::string_view::npos;

// One paragraph run [begin, end): no blank line, no fence line inside.
class RunScanner {
public:
    RunScanner(std::string_view text, bool complete, std::vector<MathRegion>& out)
        : text_(text), complete_(complete), out_(out) {}

    void scan(size_t begin, size_t end) {
        end_ = end;
        size_t i = begin;
        while (i < end_) {
            char c = text_[i];
            if (c == '\\') i = backslash(i);
            else if (c == '`') i = code_span(i);
            else if (c == '$') i = dollar(i);
            else if (c == ']' && i + 1 < end_ && text_[i + 1] == '(') i = link_destination(i + 2);
            else ++i;
        }
    }

private:
    // A closing delimiter ending at `at` is decided only once a character follows it, or the
    // reply is complete.
    bool undecided(size_t at) const { return at >= text_.size() && !complete_; }

    void emit(size_t b, size_t e, MathDelimiter d) { out_.push_back(MathRegion{uint32_t(b), uint32_t(e), d}); }

    // Skips TeX from `from` to the first unescaped occurrence of `closer`; npos if none in the run.
    size_t find_closer(size_t from, std::string_view closer, bool one_line) const {
        for (size_t j = from; j < end_; ++j) {
            if (one_line && text_[j] == '\n') return npos;
            if (starts_with(text_.substr(0, end_), j, closer)) return j;
            if (text_[j] == '\\') ++j;  // an escaped character (\$, \\, \{) closes nothing
        }
        return npos;
    }

    size_t backslash(size_t i) {
        if (i + 1 >= end_) return end_;
        char d = text_[i + 1];
        if (d == '(' || d == '[') {
            size_t close = find_closer(i + 2, d == '(' ? "\\)" : "\\]", false);
            if (close != npos && !is_blank(text_.substr(i + 2, close - i - 2))) {
                emit(i, close + 2, d == '(' ? MathDelimiter::Paren : MathDelimiter::Bracket);
                return close + 2;
            }
        } else if (starts_with(text_, i, "\\begin{")) {
            size_t name_begin = i + 7, name_end = text_.find('}', name_begin);
            if (name_end != npos && name_end < end_ &&
                is_display_environment(text_.substr(name_begin, name_end - name_begin))) {
                size_t close = environment_end(text_.substr(name_begin, name_end - name_begin), name_end + 1);
                if (close != npos) {
                    emit(i, close, MathDelimiter::Environment);
                    return close;
                }
            }
        } else if (starts_with(text_, i, "\\ce{")) {
            size_t close = brace_end(i + 4);
            if (close != npos) {
                emit(i, close, MathDelimiter::Chemistry);
                return close;
            }
        }
        return i + 2;  // an escape pair: "\$" is a dollar sign, "\\" a backslash
    }

    // The end of "\end{name}" matching a "\begin{name}" before `from` (nesting counted).
    size_t environment_end(std::string_view name, size_t from) const {
        std::string begin_tag = "\\begin{" + std::string(name) + "}";
        std::string end_tag = "\\end{" + std::string(name) + "}";
        int depth = 1;
        for (size_t j = from; j < end_; ++j) {
            if (text_[j] != '\\') continue;
            if (starts_with(text_.substr(0, end_), j, end_tag)) {
                if (--depth == 0) return j + end_tag.size();
                j += end_tag.size() - 1;
            } else if (starts_with(text_.substr(0, end_), j, begin_tag)) {
                ++depth;
                j += begin_tag.size() - 1;
            } else {
                ++j;
            }
        }
        return npos;
    }

    // Past the '}' that closes the brace opened just before `from`.
    size_t brace_end(size_t from) const {
        int depth = 1;
        for (size_t j = from; j < end_; ++j) {
            char c = text_[j];
            if (c == '\\') ++j;
            else if (c == '{') ++depth;
            else if (c == '}' && --depth == 0) return j + 1;
        }
        return npos;
    }

    // A code span: a run of n backticks up to the next run of exactly n; unclosed, the
    // backticks are plain text.
    size_t code_span(size_t i) const {
        size_t n = 0;
        while (i + n < end_ && text_[i + n] == '`') ++n;
        for (size_t j = i + n; j < end_;) {
            if (text_[j] != '`') { ++j; continue; }
            size_t m = 0;
            while (j + m < end_ && text_[j + m] == '`') ++m;
            if (m == n) return j + m;
            j += m;
        }
        return i + n;
    }

    // "](dest)": a URL may hold '$' and must reach md4c unchanged.
    size_t link_destination(size_t j) const {
        int depth = 1;
        for (; j < end_ && !is_space(text_[j]); ++j) {
            if (text_[j] == '\\') { ++j; continue; }
            if (text_[j] == '(') ++depth;
            else if (text_[j] == ')' && --depth == 0) return j + 1;
        }
        return j;
    }

    size_t dollar(size_t i) {
        if (i + 1 < end_ && text_[i + 1] == '$') {
            size_t close = find_closer(i + 2, "$$", false);
            if (close == npos) return i + 2;
            if (undecided(close + 2)) return end_;  // "$$…$$" at the end of a streaming text
            if (is_blank(text_.substr(i + 2, close - i - 2))) return close + 2;
            emit(i, close + 2, MathDelimiter::DoubleDollar);
            return close + 2;
        }
        // "$…$": money rules. Inline TeX cannot hold an unescaped '$', so the next '$' on the
        // line is the only closer; when it fails the rules it may open a formula itself.
        if (i + 1 >= end_ || is_space(text_[i + 1])) return i + 1;
        size_t close = find_closer(i + 1, "$", true);
        if (close == npos) return i + 1;
        if (is_space(text_[close - 1])) return close;
        if (undecided(close + 1)) return end_;
        if (close + 1 < text_.size() && text_[close + 1] >= '0' && text_[close + 1] <= '9') return close;
        emit(i, close + 1, MathDelimiter::Dollar);
        return close + 1;
    }

    std::string_view text_;
    bool complete_;
    std::vector<MathRegion>& out_;
    size_t end_ = 0;
};

// Scans lines from `state` to the end of `text`. `checkpoint` (if given) gets the last line
// start from which a later scan of the grown text may resume, and `final_count` how many
// regions lie before it.
void scan_lines(std::string_view text, MathScanner::LineState state, bool complete,
                std::vector<MathRegion>& out, MathScanner::LineState* checkpoint, size_t* final_count) {
    RunScanner runs(text, complete, out);
    size_t pos = state.at, run_begin = npos;
    auto mark = [&](size_t at) {
        if (!checkpoint) return;
        *checkpoint = state;
        checkpoint->at = at;
        *final_count = out.size();
    };
    while (pos < text.size()) {
        size_t eol = text.find('\n', pos);
        bool whole = eol != npos;
        if (!whole) eol = text.size();
        std::string_view line = text.substr(pos, eol - pos);
        size_t next = whole ? eol + 1 : text.size();
        if (state.fence_char) {
            if (closes_fence(line, state.fence_char, state.fence_length)) state.fence_char = 0;
            if (whole) mark(next);
            pos = next;
            continue;
        }
        char ch = 0;
        uint8_t length = 0;
        bool fence = fence_at(line, ch, length);
        if (fence || is_blank(line)) {
            if (run_begin != npos) runs.scan(run_begin, pos);
            run_begin = npos;
            if (fence) {
                state.fence_char = ch;
                state.fence_length = length;
            }
            if (whole) mark(next);
        } else if (run_begin == npos) {
            run_begin = pos;
        }
        pos = next;
    }
    if (run_begin != npos) runs.scan(run_begin, text.size());
}

}  // namespace

std::vector<MathRegion> find_math(std::string_view text, bool complete) {
    std::vector<MathRegion> out;
    scan_lines(text, {}, complete, out, nullptr, nullptr);
    return out;
}

void MathScanner::update(std::string_view full_text, bool complete) {
    if (full_text.size() < resume_.at) clear();
    regions_.resize(final_regions_);
    LineState from = resume_;
    scan_lines(full_text, from, complete, regions_, &resume_, &final_regions_);
}

std::string math_source_text(std::string_view text, const MathRegion& r) {
    std::string_view src = text.substr(r.begin, r.end - r.begin);
    if (src.find('\n') == npos) return std::string(src);
    // The '>' markers before the formula on its first line: its later lines carry as many.
    size_t line = text.rfind('\n', r.begin == 0 ? 0 : r.begin - 1);
    line = line == npos || r.begin == 0 ? 0 : line + 1;
    size_t quotes = size_t(std::count(text.begin() + long(line), text.begin() + long(r.begin), '>'));
    std::string out;
    out.reserve(src.size());
    size_t pos = 0;
    bool first = true;
    while (pos <= src.size()) {
        size_t eol = src.find('\n', pos);
        if (eol == npos) eol = src.size();
        size_t i = pos;
        if (!first) {
            size_t q = 0;
            for (;;) {
                while (i < eol && (src[i] == ' ' || src[i] == '\t')) ++i;
                if (q < quotes && i < eol && src[i] == '>') { ++i; ++q; continue; }
                break;
            }
            out += '\n';
        }
        out.append(src.substr(i, eol - i));
        first = false;
        pos = eol + 1;
    }
    return out;
}

std::string_view math_tex(std::string_view s, bool* display) {
    bool d = false;
    std::string_view tex = s;
    if (s.size() >= 4 && s.substr(0, 2) == "$$" && s.substr(s.size() - 2) == "$$") {
        tex = s.substr(2, s.size() - 4);
        d = true;
    } else if (s.size() >= 2 && s.front() == '$' && s.back() == '$') {
        tex = s.substr(1, s.size() - 2);
    } else if (s.size() >= 4 && (s.substr(0, 2) == "\\(" || s.substr(0, 2) == "\\[")) {
        d = s[1] == '[';
        tex = s.substr(2, s.size() - 4);
    } else if (s.substr(0, 7) == "\\begin{") {
        d = true;
    }
    if (display) *display = d;
    return tex;
}

}  // namespace imchat
