// md4c callbacks -> flat Blocks, and the incremental MarkdownDocument on top of it.
#include "core/markdown.h"

#include <md4c.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/highlight.h"

namespace imchat {
namespace {

constexpr unsigned kMd4cFlags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;

// ---------------------------------------------------------------------------------------------
// Small text helpers

bool is_blank_line(std::string_view s) {
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
}

size_t line_start_of(std::string_view text, size_t pos) {
    while (pos > 0 && text[pos - 1] != '\n') --pos;
    return pos;
}

size_t line_end_of(std::string_view text, size_t pos) {  // position of '\n' or size
    size_t e = text.find('\n', pos);
    return e == std::string_view::npos ? text.size() : e;
}

// "   ```lang" -> fence length (>= 3) of fence_char, 0 if the line is not such a fence line.
int fence_length_at(std::string_view line, char fence_char) {
    size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ') ++i;
    size_t n = 0;
    while (i + n < line.size() && line[i + n] == fence_char) ++n;
    return n >= 3 ? int(n) : 0;
}

// A line that closes a fence opened with `length` x `fence_char`.
bool is_fence_closer(std::string_view line, char fence_char, int length) {
    size_t i = 0;
    while (i < line.size() && i < 3 && line[i] == ' ') ++i;
    size_t n = 0;
    while (i + n < line.size() && line[i + n] == fence_char) ++n;
    if (int(n) < length) return false;
    return is_blank_line(line.substr(i + n));
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

// md4c hands entities over verbatim; decode the numeric ones and the few named ones that
// turn up in chat text. Unknown names stay as written.
void append_entity(std::string& out, std::string_view e) {
    if (e.size() >= 4 && e[1] == '#') {
        uint32_t cp = 0;
        bool hex = e[2] == 'x' || e[2] == 'X';
        for (size_t i = hex ? 3 : 2; i + 1 < e.size(); ++i) {
            char c = e[i];
            int d = c >= '0' && c <= '9' ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) { out += e; return; }
            cp = std::min<uint32_t>(cp * (hex ? 16 : 10) + d, 0x110000);
        }
        append_utf8(out, cp);
        return;
    }
    static const struct { const char* name; uint32_t cp; } named[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''},
        {"&nbsp;", 0xA0}, {"&copy;", 0xA9}, {"&reg;", 0xAE}, {"&trade;", 0x2122},
        {"&hellip;", 0x2026}, {"&mdash;", 0x2014}, {"&ndash;", 0x2013}, {"&times;", 0xD7},
        {"&rarr;", 0x2192}, {"&larr;", 0x2190}, {"&deg;", 0xB0}, {"&middot;", 0xB7},
    };
    for (const auto& n : named)
        if (e == n.name) { append_utf8(out, n.cp); return; }
    out += e;
}

std::string attribute_text(const MD_ATTRIBUTE& a) {
    std::string s;
    if (!a.text) return s;
    if (!a.substr_offsets) return std::string(a.text, a.size);
    for (unsigned i = 0; a.substr_offsets[i] < a.size; ++i) {
        std::string_view part(a.text + a.substr_offsets[i], a.substr_offsets[i + 1] - a.substr_offsets[i]);
        if (a.substr_types[i] == MD_TEXT_ENTITY) append_entity(s, part);
        else if (a.substr_types[i] == MD_TEXT_NULLCHAR) s += "\xEF\xBF\xBD";
        else s += part;
    }
    return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (char(std::tolower((unsigned char)s[i])) != prefix[i]) return false;
    return true;
}

// ---------------------------------------------------------------------------------------------
// Code highlighting into a code block's spans

struct HighlightMark {
    uint32_t at = UINT32_MAX;  // a line start in the block text
    HighlightState state = 0;  // the state there, filled in
};

// Highlights block.text from `from` (a line start) with `state`; returns the final state.
HighlightState highlight_block_from(Block& block, uint32_t from, HighlightState state,
                                    HighlightMark* mark) {
    CodeLanguage lang = code_language_from_label(block.code_lang);
    std::vector<CodeToken> tokens;
    std::string_view text = block.text;
    size_t pos = from;
    while (pos < text.size()) {
        if (mark && pos == mark->at) mark->state = state;
        size_t end = line_end_of(text, pos);
        tokens.clear();
        state = highlight_line(lang, text, pos, end, state, tokens);
        for (const CodeToken& t : tokens)
            block.spans.push_back(Span{t.begin, t.end,
                                       uint16_t(SpanStyle_Code | (uint16_t(t.kind) << SpanStyle_TokenShift)),
                                       kNoLink});
        pos = end + 1;
    }
    if (mark && mark->at >= text.size()) mark->state = state;
    return state;
}

// ---------------------------------------------------------------------------------------------
// md4c -> Blocks

// What the incremental document needs to know about each top-level block of a parse.
struct TopLevel {
    size_t first_block = 0, first_link = 0;
    const char* first_text = nullptr;     // pointer md4c gave with the block's first text
    bool first_text_in_first_block = false;
    bool got_text = false;
    bool fenced = false;
    char fence_char = 0;
    const char* info = nullptr;           // the fence's info string, if it points into source
    const char* first_code = nullptr;     // first code text, if it points into source
    // Filled after the parse:
    size_t start = SIZE_MAX;              // source offset of the block's first line, if known
    int fence_length = 0;
    bool code_open = false;
};

// md4c reads a copy of the source in which each formula's bytes (newlines kept) are filler
// that is plain text to it: no '|' splits a cell, no '_' or '*' turns into emphasis, no line
// inside starts a list. The copy has the source's length, so every offset (cut points, text
// pointers) means the same in both; text callbacks map the filler back to the formula.
constexpr char kMathFiller = '\x01';

class Converter {
public:
    // `math`: the formulas of the whole text whose tail, from `math_offset` on, `src` is.
    Converter(std::string_view src, const MarkdownOptions& options, std::vector<Block>& blocks,
              std::vector<Link>& links, const std::vector<MathRegion>* math = nullptr,
              size_t math_offset = 0)
        : src_copy_(src), src_(src_copy_), options_(options), blocks_(blocks), links_(links) {
        if (math) hide_formulas(*math, math_offset);
    }

    bool run() {
        MD_PARSER p{};
        p.flags = kMd4cFlags;
        p.enter_block = [](MD_BLOCKTYPE t, void* d, void* u) { return ((Converter*)u)->enter_block(t, d); };
        p.leave_block = [](MD_BLOCKTYPE t, void* d, void* u) { return ((Converter*)u)->leave_block(t, d); };
        p.enter_span = [](MD_SPANTYPE t, void* d, void* u) { return ((Converter*)u)->enter_span(t, d); };
        p.leave_span = [](MD_SPANTYPE t, void* d, void* u) { return ((Converter*)u)->leave_span(t, d); };
        p.text = [](MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* u) { return ((Converter*)u)->text(t, s, n); };
        int rc = md_parse(src_.data(), MD_SIZE(src_.size()), &p, this);
        finish_top_levels();
        return rc == 0;
    }

    std::vector<TopLevel> tops;
    bool check_first_lines = true;  // false in nested parses: no cut-point checks, no probes
    HighlightState last_code_state_at_end = 0;
    HighlightState last_code_state_at_last_line = 0;

private:
    enum class Kind : uint8_t { Quote, List, Item };
    struct Container {
        Kind kind;
        bool ordered = false;
        int next_number = 1;
        // Item: its bullet is not drawn yet (no leaf block started in it so far).
        bool pending = false;
        int number = 0;
        int task_state = -1;
    };
    enum class Target : uint8_t { None, Block, Cell };

    void hide_formulas(const std::vector<MathRegion>& all, size_t offset) {
        auto first = std::lower_bound(all.begin(), all.end(), offset,
                                      [](const MathRegion& r, size_t at) { return r.begin < at; });
        for (auto it = first; it != all.end() && it->end <= offset + src_.size(); ++it) {
            MathRegion r = *it;
            r.begin -= uint32_t(offset);
            r.end -= uint32_t(offset);
            math_.push_back(r);
        }
        if (math_.empty()) return;
        original_.assign(src_.data(), src_.size());
        for (const MathRegion& r : math_)
            for (uint32_t i = r.begin; i < r.end; ++i)
                if (src_copy_[i] != '\n') src_copy_[i] = kMathFiller;
    }

    // Appends md4c's text [s, s+n), which lies in the source, mapping formula filler back:
    // a formula's first piece becomes its whole source, one Math span; its later pieces (its
    // other lines) are dropped. Code (a block or a span) reads the original bytes: md4c may see
    // code where the pre-pass saw a formula, and code is shown verbatim.
    void append_source_text(const char* s, size_t n, std::string& out, std::vector<Span>& spans,
                            uint16_t style, bool code) {
        size_t off = size_t(s - src_.data()), end = off + n;
        last_text_end_ = end;
        auto plain = [&](size_t from, size_t to) {
            size_t at = out.size();
            out.append(original_, from, to - from);
            add_span(spans, at, out.size(), style);
        };
        if (code) {
            plain(off, end);
            return;
        }
        while (off < end) {
            if (off < skip_until_) {  // the rest of a formula already placed
                off = std::min(end, skip_until_);
                continue;
            }
            auto r = std::upper_bound(math_.begin(), math_.end(), off,
                                      [](size_t at, const MathRegion& m) { return at < m.end; });
            if (r == math_.end() || r->begin >= end) {
                plain(off, end);
                return;
            }
            if (r->begin > off) {
                plain(off, r->begin);
                off = r->begin;
            }
            size_t begin = out.size();
            out += math_source_text(original_, *r);
            uint16_t math_style = uint16_t(style | SpanStyle_Math | (r->display() ? SpanStyle_MathDisplay : 0));
            spans.push_back(Span{uint32_t(begin), uint32_t(out.size()), math_style,
                                 (style & SpanStyle_Link) ? current_link() : kNoLink});
            skip_until_ = r->end;
            off = std::min(end, size_t(r->end));
        }
    }

    uint32_t current_link() const { return link_stack_.empty() ? kNoLink : link_stack_.back(); }

    // A break md4c reports inside a formula (its text has no source pointer) is the formula's.
    bool inside_formula() const { return last_text_end_ < skip_until_; }

    // A paragraph that is one display formula and nothing else becomes a Math block.
    void promote_display_formula(Block& b) {
        if (b.kind != BlockKind::Paragraph || b.spans.size() != 1) return;
        const Span& sp = b.spans[0];
        if ((sp.style & SpanStyle_MathDisplay) && sp.begin == 0 && sp.end == b.text.size()) b.kind = BlockKind::Math;
    }

    bool in_source(const char* p) const {
        return p && p >= src_.data() && p < src_.data() + src_.size();
    }

    Block& new_block(BlockKind kind) {
        Block b;
        b.kind = kind;
        b.quote_depth = uint8_t(std::min(quote_count_, kMaxMarkdownDepth));
        b.list_depth = uint8_t(std::min(item_count_, kMaxMarkdownDepth));
        blocks_.push_back(std::move(b));
        return blocks_.back();
    }

    // A list item whose first content is not a paragraph still shows its bullet: on a line of
    // its own, as an empty ListItem.
    void flush_pending_item() {
        if (pending_item_ < 0) return;
        Container& c = stack_[size_t(pending_item_)];
        c.pending = false;
        pending_item_ = -1;
        Block& b = new_block(BlockKind::ListItem);
        fill_item(b, c);
    }

    void fill_item(Block& b, const Container& c) {
        b.ordered = c.ordered;
        b.number = c.number;
        b.task_state = c.task_state;
    }

    // A paragraph-like leaf: the pending list item's first paragraph, or a plain one.
    Block& new_paragraph() {
        if (pending_item_ >= 0) {
            Container& c = stack_[size_t(pending_item_)];
            c.pending = false;
            pending_item_ = -1;
            Block& b = new_block(BlockKind::ListItem);
            fill_item(b, c);
            return b;
        }
        return new_block(BlockKind::Paragraph);
    }

    void end_implicit_leaf() {
        if (implicit_leaf_) {
            implicit_leaf_ = false;
            target_ = Target::None;
        }
    }

    int enter_block(MD_BLOCKTYPE type, void* detail) {
        if (type == MD_BLOCK_DOC) {
            depth_ = 1;
            return 0;
        }
        end_implicit_leaf();
        // Inline spans never cross a block boundary, but md4c 0.4.8 can leave one unclosed on
        // odd input (an autolink inside emphasis at a paragraph's end): without this reset its
        // style would leak into every later block, and a one-shot parse would differ from the
        // incremental one that starts afresh at the tail (fuzz finding).
        em_ = strong_ = del_ = code_ = 0;
        link_stack_.clear();
        if (depth_ == 1) {
            TopLevel t;
            t.first_block = blocks_.size();
            t.first_link = links_.size();
            tops.push_back(t);
        }
        ++depth_;
        switch (type) {
        case MD_BLOCK_QUOTE:
            stack_.push_back({Kind::Quote});
            ++quote_count_;
            break;
        case MD_BLOCK_UL:
            stack_.push_back({Kind::List});
            break;
        case MD_BLOCK_OL: {
            Container c{Kind::List};
            c.ordered = true;
            c.next_number = int(std::min<unsigned>(((MD_BLOCK_OL_DETAIL*)detail)->start, 999999999u));
            stack_.push_back(c);
            break;
        }
        case MD_BLOCK_LI: {
            flush_pending_item();
            Container c{Kind::Item};
            if (!stack_.empty() && stack_.back().kind == Kind::List) {
                Container& list = stack_.back();
                c.ordered = list.ordered;
                if (list.ordered) c.number = list.next_number++;
            }
            auto* d = (MD_BLOCK_LI_DETAIL*)detail;
            if (d->is_task) c.task_state = (d->task_mark == ' ') ? 0 : 1;
            c.pending = true;
            stack_.push_back(c);
            ++item_count_;
            pending_item_ = int(stack_.size()) - 1;
            break;
        }
        case MD_BLOCK_HR:
            flush_pending_item();
            new_block(BlockKind::Rule);
            break;
        case MD_BLOCK_H:
            flush_pending_item();
            new_block(BlockKind::Heading).level = uint8_t(((MD_BLOCK_H_DETAIL*)detail)->level);
            target_ = Target::Block;
            break;
        case MD_BLOCK_CODE: {
            flush_pending_item();
            auto* d = (MD_BLOCK_CODE_DETAIL*)detail;
            Block& b = new_block(BlockKind::CodeBlock);
            b.code_lang = attribute_text(d->lang);
            for (char& ch : b.code_lang) ch = char(std::tolower((unsigned char)ch));
            if (depth_ == 2) {
                TopLevel& t = tops.back();
                t.fenced = d->fence_char != 0;
                t.fence_char = d->fence_char;
                if (d->info.size > 0 && in_source(d->info.text)) t.info = d->info.text;
            }
            target_ = Target::Block;
            break;
        }
        case MD_BLOCK_HTML:  // not produced with MD_FLAG_NOHTML; shown as a paragraph if it is
        case MD_BLOCK_P:
            new_paragraph();
            target_ = Target::Block;
            break;
        case MD_BLOCK_TABLE:
            flush_pending_item();
            new_block(BlockKind::Table);
            break;
        case MD_BLOCK_THEAD: in_head_ = true; break;
        case MD_BLOCK_TBODY: in_head_ = false; break;
        case MD_BLOCK_TR: {
            Block& b = blocks_.back();
            b.rows.emplace_back();
            b.rows.back().header = in_head_;
            break;
        }
        case MD_BLOCK_TH:
        case MD_BLOCK_TD: {
            Block& b = blocks_.back();
            if (b.rows.empty()) b.rows.emplace_back();
            b.rows.back().cells.emplace_back();
            if (b.rows.size() == 1) b.alignments.push_back(CellAlign(((MD_BLOCK_TD_DETAIL*)detail)->align));
            target_ = Target::Cell;
            break;
        }
        default: break;
        }
        return 0;
    }

    int leave_block(MD_BLOCKTYPE type, void*) {
        if (type == MD_BLOCK_DOC) return 0;
        end_implicit_leaf();
        --depth_;
        switch (type) {
        case MD_BLOCK_QUOTE:
            stack_.pop_back();
            --quote_count_;
            break;
        case MD_BLOCK_UL:
        case MD_BLOCK_OL:
            stack_.pop_back();
            break;
        case MD_BLOCK_LI:
            if (stack_.back().pending) flush_pending_item();
            stack_.pop_back();
            --item_count_;
            break;
        case MD_BLOCK_CODE: {
            Block& b = blocks_.back();
            if (options_.highlight_code) {
                // Remember the state at the start of the last line, for an open fence.
                HighlightMark mark;
                if (!b.text.empty()) mark.at = uint32_t(line_start_of(b.text, b.text.size() - 1));
                last_code_state_at_end = highlight_block_from(b, 0, 0, &mark);
                last_code_state_at_last_line = mark.state;
            }
            target_ = Target::None;
            break;
        }
        case MD_BLOCK_P:
            if (!math_.empty() && !blocks_.empty()) promote_display_formula(blocks_.back());
            target_ = Target::None;
            break;
        case MD_BLOCK_H:
        case MD_BLOCK_HTML:
        case MD_BLOCK_TH:
        case MD_BLOCK_TD:
            target_ = Target::None;
            break;
        default: break;
        }
        return 0;
    }

    int enter_span(MD_SPANTYPE type, void* detail) {
        switch (type) {
        case MD_SPAN_EM: ++em_; break;
        case MD_SPAN_STRONG: ++strong_; break;
        case MD_SPAN_DEL: ++del_; break;
        case MD_SPAN_CODE: ++code_; break;
        case MD_SPAN_A:
        case MD_SPAN_IMG: {
            const MD_ATTRIBUTE& a = type == MD_SPAN_A ? ((MD_SPAN_A_DETAIL*)detail)->href
                                                      : ((MD_SPAN_IMG_DETAIL*)detail)->src;
            std::string url = attribute_text(a);
            // Permissive "www." autolinks come without a scheme.
            if (starts_with_nocase(url, "www.")) url = "http://" + url;
            uint32_t index = link_stack_.empty() ? kNoLink : link_stack_.back();
            if (starts_with_nocase(url, "http://") || starts_with_nocase(url, "https://")) {
                index = uint32_t(links_.size());
                links_.push_back(Link{std::move(url)});
            }
            link_stack_.push_back(index);
            break;
        }
        default: break;
        }
        return 0;
    }

    int leave_span(MD_SPANTYPE type, void*) {
        switch (type) {
        case MD_SPAN_EM: --em_; break;
        case MD_SPAN_STRONG: --strong_; break;
        case MD_SPAN_DEL: --del_; break;
        case MD_SPAN_CODE: --code_; break;
        case MD_SPAN_A:
        case MD_SPAN_IMG:
            if (!link_stack_.empty()) link_stack_.pop_back();
            break;
        default: break;
        }
        return 0;
    }

    int text(MD_TEXTTYPE type, const MD_CHAR* s, MD_SIZE n) {
        if (target_ == Target::None) {
            // Tight list items have no paragraph block: their text arrives straight in the item.
            new_paragraph();
            target_ = Target::Block;
            implicit_leaf_ = true;
        }
        if (blocks_.empty()) return 0;
        Block& b = blocks_.back();
        if (!tops.empty()) {
            TopLevel& t = tops.back();
            if (!t.got_text) {
                t.got_text = true;
                t.first_text = in_source(s) ? s : nullptr;
                t.first_text_in_first_block = blocks_.size() - 1 == t.first_block;
            }
            if (t.fenced && !t.first_code && b.kind == BlockKind::CodeBlock && depth_ == 2)
                t.first_code = in_source(s) ? s : nullptr;
        }
        std::string* out;
        std::vector<Span>* spans;
        if (target_ == Target::Cell && !b.rows.empty() && !b.rows.back().cells.empty()) {
            out = &b.rows.back().cells.back().text;
            spans = &b.rows.back().cells.back().spans;
        } else {
            out = &b.text;
            spans = &b.spans;
        }
        if (!math_.empty()) {
            uint16_t style = current_style();
            if ((type == MD_TEXT_NORMAL || type == MD_TEXT_CODE) && in_source(s)) {
                append_source_text(s, n, *out, *spans, style, b.kind == BlockKind::CodeBlock || code_);
                return 0;
            }
            if (inside_formula()) return 0;
        }
        size_t begin = out->size();
        switch (type) {
        case MD_TEXT_NULLCHAR: *out += "\xEF\xBF\xBD"; break;
        case MD_TEXT_BR: *out += '\n'; break;
        case MD_TEXT_SOFTBR: *out += options_.soft_break_as_newline ? '\n' : ' '; break;
        case MD_TEXT_ENTITY: append_entity(*out, std::string_view(s, n)); break;
        default: out->append(s, n); break;
        }
        if (b.kind == BlockKind::CodeBlock) return 0;  // code spans come from the highlighter
        add_span(*spans, begin, out->size(), current_style());
        return 0;
    }

    uint16_t current_style() const {
        uint16_t style = uint16_t((strong_ ? SpanStyle_Strong : 0) | (em_ ? SpanStyle_Emphasis : 0) |
                                  (del_ ? SpanStyle_Strike : 0) | (code_ ? SpanStyle_Code : 0));
        if (current_link() != kNoLink) style |= SpanStyle_Link;
        return style;
    }

    // Styles text [begin, end) just appended, joining the span before it when it is the same.
    void add_span(std::vector<Span>& spans, size_t begin, size_t end, uint16_t style) {
        if (blocks_.back().kind == BlockKind::CodeBlock) return;
        uint32_t link = current_link();
        if (style == 0 || end == begin) return;
        if (!spans.empty() && spans.back().end == begin && spans.back().style == style &&
            spans.back().link == link) {
            spans.back().end = uint32_t(end);
        } else {
            spans.push_back(Span{uint32_t(begin), uint32_t(end), style, link});
        }
    }

    // Source positions of the top-level blocks, and whether the last one is an open fence.
    // A start counts only once its line is complete: while a line grows it can still turn into
    // something else ("1" -> "1. " continues a list above, "```py" -> "```py`" is no fence).
    // Fence openers are found for code_open even when they do not qualify as a start.
    void finish_top_levels() {
        for (size_t i = 0; i < tops.size(); ++i) {
            finish_top_level(i);
            TopLevel& t = tops[i];
            if (t.start != SIZE_MAX && line_end_of(src_, t.start) >= src_.size() &&
                !starts_plain_text(src_[t.start]))
                t.start = SIZE_MAX;
            // An indented first line means different things in different contexts (code,
            // the continuation of a list item above): only lines at column 0 are cut points.
            if (t.start != SIZE_MAX && (src_[t.start] == ' ' || src_[t.start] == '\t')) t.start = SIZE_MAX;
            // md4c reads blocks after blank lines at the very start of a document differently
            // from the same blocks after other blocks: never cut right after leading blanks.
            if (t.start != SIZE_MAX && t.start > 0 && i == 0) t.start = SIZE_MAX;
            if (t.start != SIZE_MAX && check_first_lines && !first_line_agrees(t)) t.start = SIZE_MAX;
        }
    }

    // A line starting with a letter (or any non-ASCII character) is paragraph text however it
    // goes on: no block marker starts with one. Such a growing line is a safe cut point.
    static bool starts_plain_text(char c) {
        unsigned char u = (unsigned char)c;
        return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
    }

    // md4c lets some blocks colour how the next line reads (a line after a list holding an
    // open fence may stay paragraph text where alone it would open a fence). A cut point's
    // first line, parsed on its own, must start the same kind of block it starts here.
    bool first_line_agrees(const TopLevel& t) const {
        if (t.first_block >= blocks_.size()) return false;
        size_t end = line_end_of(src_, t.start);
        std::string_view line = src_.substr(t.start, end + 1 - t.start);
        std::vector<Block> blocks;
        std::vector<Link> links;
        MarkdownOptions plain = options_;
        plain.highlight_code = false;
        Converter c(line, plain, blocks, links);
        c.check_first_lines = false;  // no recursion: this parse needs no cut points nor probes
        c.run();
        if (blocks.empty()) return false;
        const Block& here = blocks_[t.first_block];
        const Block& alone = blocks.front();
        bool kind_ok = here.kind == alone.kind ||
                       // An underline or delimiter row below turns the first line into these.
                       ((here.kind == BlockKind::Heading || here.kind == BlockKind::Table) &&
                        alone.kind == BlockKind::Paragraph);
        return kind_ok && here.quote_depth == alone.quote_depth && here.list_depth == alone.list_depth;
    }

    void finish_top_level(size_t i) {
        {
            TopLevel& t = tops[i];
            if (t.fenced) {
                size_t s = SIZE_MAX;
                if (t.info) {
                    s = line_start_of(src_, size_t(t.info - src_.data()));
                } else if (t.first_code) {
                    size_t content = line_start_of(src_, size_t(t.first_code - src_.data()));
                    if (content > 0) s = line_start_of(src_, content - 1);
                }
                if (s != SIZE_MAX) {
                    std::string_view line = src_.substr(s, line_end_of(src_, s) - s);
                    t.fence_length = fence_length_at(line, t.fence_char);
                    if (t.fence_length > 0) t.start = s;
                }
                if (t.start != SIZE_MAX && i + 1 == tops.size()) {
                    // Open unless a closing line follows the opener.
                    t.code_open = true;
                    size_t pos = line_end_of(src_, t.start);
                    while (pos < src_.size()) {
                        ++pos;  // past '\n'
                        size_t e = line_end_of(src_, pos);
                        if (is_fence_closer(src_.substr(pos, e - pos), t.fence_char, t.fence_length)) {
                            t.code_open = false;
                            break;
                        }
                        pos = e;
                    }
                    if (t.code_open && t.first_block < blocks_.size())
                        blocks_[t.first_block].code_open = true;
                } else if (check_first_lines && i + 1 == tops.size() && t.first_block + 1 == blocks_.size() &&
                           blocks_.back().text.empty()) {
                    // An empty fence without info string: nothing points at its opener. Ask
                    // md4c whether one more line would still be code.
                    std::string probe(src_);
                    probe += "\nx";
                    std::vector<Block> blocks;
                    std::vector<Link> links;
                    MarkdownOptions plain = options_;
                    plain.highlight_code = false;
                    Converter c(probe, plain, blocks, links);
                    // A nested parse neither probes nor checks cut points: that could recurse
                    // without end (a lone CR before the fence did, found by tests/fuzz).
                    c.check_first_lines = false;
                    c.run();
                    blocks_.back().code_open = !blocks.empty() && blocks.back().kind == BlockKind::CodeBlock;
                }
            } else if (t.first_text && t.first_text_in_first_block) {
                // The block starts on its first text's line if the line before is blank: a
                // block's first text can only be on a later line after non-blank lines
                // ("-", ">", an image without alt text).
                size_t s = line_start_of(src_, size_t(t.first_text - src_.data()));
                if (s == 0) {
                    t.start = 0;
                } else {
                    size_t prev = line_start_of(src_, s - 1);
                    if (is_blank_line(src_.substr(prev, s - 1 - prev))) t.start = s;
                }
            }
        }
    }

    // md4c 0.4.8 can read the byte just past the text it is given (a permissive autolink at
    // the very end after an unclosed "[x](", found by tests/fuzz): when that byte is not NUL
    // it runs on and reports a text of ~4 GB. A copy always ends in std::string's NUL.
    std::string src_copy_;
    std::string_view src_;
    std::string original_;           // the source before the formulas were hidden (if any were)
    std::vector<MathRegion> math_;   // the formulas, offsets into src_
    size_t skip_until_ = 0;          // end of the formula placed last
    size_t last_text_end_ = 0;       // end of the last source text md4c reported
    const MarkdownOptions& options_;
    std::vector<Block>& blocks_;
    std::vector<Link>& links_;
    std::vector<Container> stack_;
    std::vector<uint32_t> link_stack_;
    int depth_ = 0;
    int quote_count_ = 0, item_count_ = 0;
    int pending_item_ = -1;
    int em_ = 0, strong_ = 0, del_ = 0, code_ = 0;
    Target target_ = Target::None;
    bool implicit_leaf_ = false;
    bool in_head_ = false;
};

uint64_t next_revision() {
    static uint64_t counter = 0;
    return ++counter;
}

// Could this line be (part of) a link reference definition "[label]: url"? Such a line changes
// how earlier text parses, so it switches the document to whole re-parses. Containers' markers
// are skipped because definitions can sit in quotes and list items.
bool may_be_reference_definition(std::string_view line) {
    size_t i = 0;
    for (;;) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i < line.size() && line[i] == '>') { ++i; continue; }
        if (i + 1 < line.size() && (line[i] == '-' || line[i] == '*' || line[i] == '+') &&
            (line[i + 1] == ' ' || line[i + 1] == '\t')) { i += 2; continue; }
        size_t d = i;
        while (d < line.size() && d - i < 9 && line[d] >= '0' && line[d] <= '9') ++d;
        if (d > i && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') &&
            (line[d + 1] == ' ' || line[d + 1] == '\t')) { i = d + 2; continue; }
        break;
    }
    if (i >= line.size() || line[i] != '[') return false;
    std::string_view rest = line.substr(i);
    // A label may run over several lines: a '[' line without ']' counts too.
    return rest.find("]:") != std::string_view::npos || rest.find(']') == std::string_view::npos;
}

// How much of block `b` lays out as `old` did (Block::base_bytes): for text blocks, the bytes
// before the first one whose text or style differs; for tables, the leading rows that are the
// same. 0 when the block's font or indentation changed too, or nothing is shared.
uint32_t same_layout_prefix(const Block& old, const Block& b) {
    if (old.kind != b.kind || old.level != b.level || old.quote_depth != b.quote_depth ||
        old.list_depth != b.list_depth)
        return 0;
    if (b.kind == BlockKind::Table) {
        if (old.alignments != b.alignments) return 0;
        size_t n = std::min(old.rows.size(), b.rows.size());
        return uint32_t(std::mismatch(old.rows.begin(), old.rows.begin() + long(n), b.rows.begin()).first -
                        old.rows.begin());
    }
    size_t n = std::min(old.text.size(), b.text.size());
    size_t same = size_t(std::mismatch(old.text.begin(), old.text.begin() + long(n), b.text.begin()).first -
                         old.text.begin());
    // Styles: up to the first span that differs (where either of the two begins).
    size_t k = 0;
    while (k < old.spans.size() && k < b.spans.size() && old.spans[k] == b.spans[k]) ++k;
    if (k < old.spans.size()) same = std::min<size_t>(same, old.spans[k].begin);
    if (k < b.spans.size()) same = std::min<size_t>(same, b.spans[k].begin);
    return uint32_t(same);
}

}  // namespace

ParsedMarkdown parse_markdown(std::string_view text, const MarkdownOptions& options, bool complete) {
    ParsedMarkdown out;
    std::vector<MathRegion> math = find_math(text, complete);
    Converter c(text, options, out.blocks, out.links, &math);
    c.run();
    for (Block& b : out.blocks) b.revision = next_revision();
    return out;
}

// ---------------------------------------------------------------------------------------------
// MarkdownDocument

void MarkdownDocument::clear() {
    MarkdownOptions options = options_;
    *this = MarkdownDocument(options);
}

void MarkdownDocument::set_text(std::string_view full_text, bool complete) {
    clear();
    set_text_appended(full_text, complete);
}

void MarkdownDocument::scan_for_reference_definitions(std::string_view text, size_t from) {
    size_t pos = from;
    while (pos < text.size() && !has_reference_definition_) {
        size_t e = line_end_of(text, pos);
        std::string_view line = text.substr(pos, e - pos);
        // md4c also ends lines at a lone '\r', which the tail logic here (lines end at '\n')
        // does not know: a text with a CR is re-parsed whole, like one with a definition.
        if (may_be_reference_definition(line) || line.find('\r') != std::string_view::npos)
            has_reference_definition_ = true;
        if (e == text.size()) break;
        pos = e + 1;
    }
    // The last line may still grow: scan it again next time.
    scanned_lines_until_ = line_start_of(text, text.size());
}

void MarkdownDocument::set_text_appended(std::string_view full_text, bool complete) {
    if (full_text.size() < text_size_) {
        set_text(full_text, complete);
        return;
    }
    bool same_text = full_text.size() == text_size_ && revision_ != 0;
    if (same_text && complete == complete_) return;
    // The reply's end decides a '$' that closed it: only the formulas can change then.
    std::vector<MathRegion> before;
    if (same_text) before = math_.regions();
    math_.update(full_text, complete);
    complete_ = complete;
    if (same_text && before == math_.regions()) return;
    bool had_definition = has_reference_definition_;
    scan_for_reference_definitions(full_text, scanned_lines_until_);
    if (has_reference_definition_ && !had_definition) {
        // Everything may read differently now.
        tail_offset_ = 0;
        tail_first_block_ = 0;
        tail_first_link_ = 0;
        fence_.active = false;
    }
    if (!try_extend_open_fence(full_text)) reparse_tail(full_text);
    text_size_ = full_text.size();
    ++revision_;
}

bool MarkdownDocument::try_extend_open_fence(std::string_view text) {
    if (!fence_.active || has_reference_definition_ || blocks_.empty()) return false;
    Block& block = blocks_.back();
    if (block.kind != BlockKind::CodeBlock || !block.code_open) return false;
    // The new lines, starting with the (possibly grown) last line. A closing line ends the fast
    // path: what follows the fence needs md4c.
    std::string_view region = text.substr(fence_.last_line_begin);
    size_t newlines = 0, pos = 0;
    while (pos <= region.size()) {
        size_t e = line_end_of(region, pos);
        if (e > pos && is_fence_closer(region.substr(pos, e - pos), fence_.fence_char, fence_.fence_length))
            return false;
        if (e == region.size()) break;
        ++newlines;
        pos = e + 1;
    }
    bool partial = pos < region.size();  // a last line without '\n' yet
    // md4c turns the opener + these lines into the same code lines it makes in the whole text.
    std::string mini;
    mini.reserve(fence_.opener_end - fence_.opener_begin + region.size());
    mini.append(text.substr(fence_.opener_begin, fence_.opener_end - fence_.opener_begin));
    mini.append(region);
    std::vector<Block> blocks;
    std::vector<Link> links;
    MarkdownOptions plain = options_;
    plain.highlight_code = false;
    Converter c(mini, plain, blocks, links);
    c.run();
    if (blocks.size() != 1 || blocks[0].kind != BlockKind::CodeBlock) return false;
    const std::string& code = blocks[0].text;
    if (size_t(std::count(code.begin(), code.end(), '\n')) != newlines + (partial ? 1 : 0))
        return false;

    uint32_t old_line_text = fence_.last_line_text;
    uint64_t old_revision = block.revision;
    block.text.resize(old_line_text);
    block.text += code;
    size_t keep = block.spans.size();
    while (keep > 0 && block.spans[keep - 1].begin >= old_line_text) --keep;
    block.spans.resize(keep);
    uint32_t new_line_text = uint32_t(block.text.size());
    if (partial) new_line_text = uint32_t(line_start_of(block.text, block.text.size() - 1));
    if (options_.highlight_code) {
        HighlightMark mark;
        mark.at = new_line_text;
        highlight_block_from(block, old_line_text, fence_.highlight_state, &mark);
        fence_.highlight_state = mark.state;
    }
    fence_.last_line_text = new_line_text;
    fence_.last_line_begin = line_start_of(text, text.size());
    block.revision = next_revision();
    block.base_revision = old_revision;
    block.base_bytes = old_line_text;
    last_parsed_bytes_ = mini.size();
    return true;
}

void MarkdownDocument::reparse_tail(std::string_view text) {
    size_t offset = has_reference_definition_ ? 0 : tail_offset_;
    if (offset == 0) {
        tail_first_block_ = 0;
        tail_first_link_ = 0;
    }
    std::string_view tail = text.substr(offset);
    std::vector<Block> old(std::make_move_iterator(blocks_.begin() + long(tail_first_block_)),
                           std::make_move_iterator(blocks_.end()));
    blocks_.resize(tail_first_block_);
    links_.resize(tail_first_link_);
    Converter c(tail, options_, blocks_, links_, &math_.regions(), offset);
    c.run();
    last_parsed_bytes_ = tail.size();

    // Unchanged blocks keep their revision (layout caches stay valid); a code block that only
    // grew says which prefix of it is unchanged.
    for (size_t i = tail_first_block_; i < blocks_.size(); ++i) {
        Block& b = blocks_[i];
        size_t j = i - tail_first_block_;
        if (j < old.size() && old[j] == b) {
            b.revision = old[j].revision;
            b.base_revision = old[j].base_revision;
            b.base_bytes = old[j].base_bytes;
            continue;
        }
        b.revision = next_revision();
        if (j < old.size()) {
            b.base_bytes = same_layout_prefix(old[j], b);
            b.base_revision = b.base_bytes > 0 ? old[j].revision : 0;
        }
    }

    // The new tail starts at the last top-level block whose first line we know.
    fence_.active = false;
    for (size_t k = c.tops.size(); k-- > 0;) {
        const TopLevel& t = c.tops[k];
        if (t.start == SIZE_MAX) continue;
        if (!has_reference_definition_) {
            tail_offset_ = offset + t.start;
            tail_first_block_ = t.first_block;
            tail_first_link_ = t.first_link;
        }
        if (k + 1 == c.tops.size() && t.code_open && t.first_block + 1 == blocks_.size()) {
            // An open fence at the end: set up the fast path for the lines that follow.
            size_t opener_end = line_end_of(text, offset + t.start);
            if (opener_end < text.size()) {
                const Block& b = blocks_.back();
                size_t last_line = line_start_of(text, text.size());
                size_t lines = size_t(std::count(text.begin() + long(opener_end) + 1, text.end(), '\n'));
                bool partial = last_line < text.size();
                if (size_t(std::count(b.text.begin(), b.text.end(), '\n')) == lines + (partial ? 1 : 0)) {
                    fence_.active = true;
                    fence_.opener_begin = offset + t.start;
                    fence_.opener_end = opener_end + 1;
                    fence_.last_line_begin = last_line;
                    fence_.fence_char = t.fence_char;
                    fence_.fence_length = t.fence_length;
                    fence_.last_line_text = partial ? uint32_t(line_start_of(b.text, b.text.size() - 1))
                                                    : uint32_t(b.text.size());
                    fence_.highlight_state = partial ? c.last_code_state_at_last_line
                                                     : c.last_code_state_at_end;
                }
            }
        }
        break;
    }
}

}  // namespace imchat
