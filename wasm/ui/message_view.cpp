#include "ui/message_view.h"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cstdio>
#include <cstdint>
#include <cstring>

#include "core/text_edit.h"
#include "core/text_search.h"
#include "core/text_view.h"
#include "platform/cluster_raster.h"
#include "ui/layout_fonts.h"
#include "ui/math_images.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

constexpr float kToolCardsGap = 6;  // between a reply's text and its tool call cards

namespace {

const MessageMetrics g_metrics;

LayoutParams body_params(float width)
{
    LayoutParams p;
    p.wrap_width = width;
    return p;
}

// What a piece of text is drawn with: the laid-out lines, its bytes, and its block context.
struct Piece {
    const TextLayout* layout;
    std::string_view text;
    TextContext context;
    ImVec2 pos;         // screen position of the layout's (0,0)
    int32_t block;      // for selection refs
    int32_t cell;
    const std::vector<Span>* spans = nullptr;  // its styles, where formulas are looked up whole
};

// The source of the formula a run belongs to: the whole span (a formula laid out as text may
// wrap over several lines, each a run).
std::string_view formula_source(const Piece& piece, const LayoutRun& run)
{
    if (piece.spans) {
        auto it = std::upper_bound(piece.spans->begin(), piece.spans->end(), run.begin,
                                   [](uint32_t at, const Span& sp) { return at < sp.end; });
        if (it != piece.spans->end() && it->begin <= run.begin)
            return piece.text.substr(it->begin, it->end - it->begin);
    }
    return piece.text.substr(run.begin, run.end - run.begin);
}

// Fills the background of bytes [begin, end) of a piece, line by line (core/text_view).
void highlight_range(const DrawContext& ctx, const Piece& piece, uint32_t begin, uint32_t end, ImU32 color)
{
    static std::vector<TextView::Rect> rects;
    rects.clear();
    TextView(*piece.layout, piece.text, *ctx.fonts, piece.context)
        .selection_rects(begin, end, ctx.clip.y - piece.pos.y, ctx.clip.w - piece.pos.y, rects);
    for (const TextView::Rect& r : rects)
        ctx.draw->AddRectFilled(ImVec2(piece.pos.x + r.x0, piece.pos.y + r.y),
                                ImVec2(piece.pos.x + r.x1, piece.pos.y + r.y + r.height), color);
}

// A formula laid out as a box (its size is known): its texture on the text's baseline (display
// formulas centred in their line), or a placeholder of its final size while it is (re)made.
// False for a formula laid out as text (not typeset yet, or failed): the caller draws source.
bool draw_formula(const DrawContext& ctx, const Piece& piece, const LayoutLine& line, const LayoutRun& run,
                  const Face& face, ImU32 color, float text_top)
{
    if (!run.box)
        return false;
    MathSize size;
    const gfx::CachedImage* image = nullptr;
    math_images().lookup(piece.text.substr(run.begin, run.end - run.begin), ctx.fonts->face(Face_Body).size, color,
                         &size, &image);
    float top = (run.style & SpanStyle_MathDisplay)
                    ? piece.pos.y + line.y + (line.height - size.height - size.depth) * 0.5f
                    : text_top + face.baked->Ascent - size.height;
    ImVec2 a(piece.pos.x + run.x, top), b(a.x + size.width, top + size.height + size.depth);
    if (image) {
        ctx.draw->AddImage(ImTextureRef(static_cast<ImTextureID>(image->texture)), a, b);
        // For tests: where each formula was drawn, by its source.
        remember_rect(("math:" + std::string(piece.text.substr(run.begin, run.end - run.begin))).c_str(), a.x, a.y,
                      b.x - a.x, b.y - a.y);
    } else
        ctx.draw->AddRectFilled(a, b, (color & 0x00ffffff) | 0x18000000, 3.0f);
    return true;
}

void draw_piece(const DrawContext& ctx, const Piece& piece, ImU32 base_color)
{
    const Theme& t = theme();
    const TextLayout& layout = *piece.layout;
    float top = ctx.clip.y - piece.pos.y, bottom = ctx.clip.w - piece.pos.y;
    if (layout.height < top || 0 > bottom)
        return;

    // Selection and find matches go under the text.
    if (ctx.has_selection) {
        TextRef here{piece.block, piece.cell, 0};
        TextRef here_end{piece.block, piece.cell, static_cast<uint32_t>(piece.text.size())};
        if (!ref_less(here_end, ctx.sel_start) && !ref_less(ctx.sel_end, here)) {
            uint32_t a = ref_less(ctx.sel_start, here) ? 0 : ctx.sel_start.offset;
            uint32_t b = ref_less(here_end, ctx.sel_end) ? here_end.offset : ctx.sel_end.offset;
            highlight_range(ctx, piece, a, b, t.selection);
        }
    }
    // The find bar's own matcher: the ranges shown are the hits it counts.
    if (ctx.find_query && !ctx.find_query->empty()) {
        for (TextRange r = find_ignoring_case(piece.text, *ctx.find_query); r.found();
             r = find_ignoring_case(piece.text, *ctx.find_query, r.end))
            highlight_range(ctx, piece, static_cast<uint32_t>(r.begin), static_cast<uint32_t>(r.end), t.find_match);
    }

    auto first = std::lower_bound(layout.lines.begin(), layout.lines.end(), top,
                                  [](const LayoutLine& l, float y) { return l.y + l.height < y; });
    for (auto it = first; it != layout.lines.end() && it->y <= bottom; ++it) {
        const LayoutLine& line = *it;
        for (uint32_t r = line.run_begin; r < line.run_end; r++) {
            const LayoutRun& run = layout.runs[r];
            const Face& face = ctx.fonts->face_for(piece.context.kind, piece.context.heading_level, run.style);
            ImU32 color = base_color;
            if (piece.context.kind == BlockKind::CodeBlock) {
                int kind = (run.style & SpanStyle_TokenMask) >> SpanStyle_TokenShift;
                color = t.token[kind < 5 ? kind : 0];
            } else if (run.style & SpanStyle_Link) {
                color = t.link;
            }
            float x = piece.pos.x + run.x;
            float y = piece.pos.y + line.y + (line.height - face.size) * 0.5f;
            if (run.style & SpanStyle_Math) {
                if (draw_formula(ctx, piece, line, run, face, color, y))
                    continue;
                std::string_view source = formula_source(piece, run);
                if (math_images().lookup(source, ctx.fonts->face(Face_Body).size, theme().text, nullptr) ==
                    MathState::Failed) {
                    color = t.error;  // failure is source
                    remember_rect(("math-error:" + std::string(source)).c_str(), x, piece.pos.y + line.y, run.width,
                                  line.height);
                }
            }
            if ((run.style & SpanStyle_Code) && piece.context.kind != BlockKind::CodeBlock)
                ctx.draw->AddRectFilled(ImVec2(x - 2, piece.pos.y + line.y + 1),
                                        ImVec2(x + run.width + 2, piece.pos.y + line.y + line.height - 1),
                                        t.inline_code_bg, 3.0f);
            const char* s = piece.text.data() + run.begin;
            const char* e = piece.text.data() + run.end;
            platform::draw_text_clusters(ctx.draw, face.font, face.size, ImVec2(x, y), color, s, e);
            // Strong text and headings have a real bold face (layout_fonts); a table header is
            // laid out in its cell's face, so it is made bold by drawing it twice, a fraction apart.
            if (piece.context.table_header && !(run.style & SpanStyle_Strong) && piece.context.kind != BlockKind::Heading)
                platform::draw_text_clusters(ctx.draw, face.font, face.size, ImVec2(x + 0.6f, y), color, s, e);
            if (run.style & (SpanStyle_Link | SpanStyle_Strike)) {
                float ly = (run.style & SpanStyle_Strike) ? y + face.size * 0.55f : y + face.size * 1.02f;
                ctx.draw->AddLine(ImVec2(x, ly), ImVec2(x + run.width, ly), color, 1.0f);
            }
            // Emphasis has an italic face, except inside strong text (no bold italic face): there a
            // faint underline marks it.
            if ((run.style & SpanStyle_Emphasis) && (run.style & SpanStyle_Strong))
                ctx.draw->AddLine(ImVec2(x, y + face.size * 1.05f), ImVec2(x + run.width, y + face.size * 1.05f),
                                  (color & 0x00ffffff) | 0x50000000, 1.0f);
        }
    }
}

void draw_block(const DrawContext& ctx, const Block& block, const BlockLayout& bl, int32_t index, ImVec2 origin)
{
    const Theme& t = theme();
    const LayoutParams params = body_params(ctx.width);
    ImVec2 p(origin.x + bl.x, origin.y + bl.y);
    if (p.y > ctx.clip.w || p.y + bl.height < ctx.clip.y)
        return;

    for (int q = 0; q < block.quote_depth; q++) {
        float x = origin.x + q * params.quote_indent + 2;
        ctx.draw->AddRectFilled(ImVec2(x, p.y - params.block_spacing * 0.5f),
                                ImVec2(x + 3, p.y + bl.height + params.block_spacing * 0.5f), t.quote_bar);
    }
    ImU32 text_color = block.quote_depth > 0 ? t.text_dim : t.text;

    switch (block.kind) {
    case BlockKind::Rule: {
        float y = p.y + bl.height * 0.5f;
        ctx.draw->AddLine(ImVec2(p.x, y), ImVec2(p.x + bl.width, y), t.rule, 1.0f);
        return;
    }
    case BlockKind::CodeBlock: {
        ctx.draw->AddRectFilled(p, ImVec2(p.x + bl.width, p.y + bl.height), t.code_bg, 6.0f);
        ctx.draw->AddRect(p, ImVec2(p.x + bl.width, p.y + bl.height), t.code_border, 6.0f);
        break;
    }
    case BlockKind::ListItem: {
        const Face& face = ctx.fonts->face(Face_Body);
        float line_h = bl.text.lines.empty() ? face.metrics.line_height : bl.text.lines[0].height;
        float cy = p.y + bl.text_y + line_h * 0.5f;
        if (block.task_state >= 0) {
            float s = face.size * 0.75f;
            ImVec2 a(p.x - s - 6, cy - s * 0.5f), b(p.x - 6, cy + s * 0.5f);
            ctx.draw->AddRect(a, b, t.text_dim, 3.0f, 0, 1.5f);
            if (block.task_state == 1)
                ctx.draw->AddPolyline(std::array<ImVec2, 3>{ImVec2(a.x + s * 0.2f, cy), ImVec2(a.x + s * 0.42f, b.y - s * 0.22f),
                                                            ImVec2(b.x - s * 0.18f, a.y + s * 0.22f)}.data(),
                                      3, t.accent, 0, 2.0f);
        } else if (block.ordered) {
            char label[16];
            snprintf(label, sizeof(label), "%d.", block.number);
            float w = face.font->CalcTextSizeA(face.size, FLT_MAX, 0, label).x;
            ctx.draw->AddText(face.font, face.size, ImVec2(p.x - w - 5, cy - face.size * 0.5f), t.text_dim, label);
        } else {
            float r = face.size * 0.16f;
            ImVec2 c(p.x - 9, cy);
            if (block.list_depth % 2 == 1)
                ctx.draw->AddCircleFilled(c, r, text_color);
            else
                ctx.draw->AddCircle(c, r, text_color, 0, 1.2f);
        }
        break;
    }
    case BlockKind::Table: {
        size_t columns = bl.column_x.size();
        for (size_t r = 0; r < block.rows.size() && r < bl.row_y.size(); r++) {
            float y0 = p.y + bl.row_y[r], y1 = y0 + bl.row_height[r];
            if (block.rows[r].header)
                ctx.draw->AddRectFilled(ImVec2(p.x, y0), ImVec2(p.x + bl.width, y1), t.table_header_bg);
            for (size_t c = 0; c < columns; c++) {
                size_t i = r * columns + c;
                if (i >= bl.cells.size() || c >= block.rows[r].cells.size())
                    continue;
                const TableCell& cell = block.rows[r].cells[c];
                TextContext tc{BlockKind::Table, 0, block.rows[r].header};
                Piece piece{&bl.cells[i], cell.text, tc,
                            ImVec2(p.x + bl.column_x[c] + params.cell_padding, y0 + params.cell_padding),
                            index, static_cast<int32_t>(i), &cell.spans};
                draw_piece(ctx, piece, text_color);
            }
            ctx.draw->AddLine(ImVec2(p.x, y1), ImVec2(p.x + bl.width, y1), t.table_border);
        }
        ctx.draw->AddRect(p, ImVec2(p.x + bl.width, p.y + bl.height), t.table_border);
        for (size_t c = 1; c < columns; c++) {
            float x = p.x + bl.column_x[c];
            ctx.draw->AddLine(ImVec2(x, p.y), ImVec2(x, p.y + bl.height), t.table_border);
        }
        return;
    }
    default:
        break;
    }
    Piece piece{&bl.text, block.text, text_context_of(block), ImVec2(p.x + bl.text_x, p.y + bl.text_y), index, -1,
                &block.spans};
    draw_piece(ctx, piece, text_color);
}

// The texts of a message in order, each with where it is drawn (relative to the message).
// Blocks [first, last) only, when given: hit-testing looks at the few blocks near a point, so
// its cost does not grow with the message.
template <class Fn>
void for_each_piece(const Message& m, const MessageView& view, Fn&& fn, size_t first = 0, size_t last = SIZE_MAX)
{
    const MessageMetrics& mm = g_metrics;
    if (m.role == Role::User) {
        fn(Piece{&view.plain, m.text, TextContext{}, ImVec2(0, 0), -1, -1},
           ImVec2(view.width - view.bubble_width + mm.bubble_padding, mm.bubble_padding));
        return;
    }
    const auto& blocks = view.doc.blocks();
    const auto& layouts = view.body.blocks();
    LayoutParams params = body_params(view.width);
    for (size_t i = first; i < layouts.size() && i < blocks.size() && i < last; i++) {
        const Block& b = blocks[i];
        const BlockLayout& bl = layouts[i];
        if (b.kind == BlockKind::Table) {
            size_t columns = bl.column_x.size();
            for (size_t c = 0; c < bl.cells.size(); c++) {
                size_t r = columns ? c / columns : 0, col = columns ? c % columns : 0;
                if (r >= b.rows.size() || col >= b.rows[r].cells.size())
                    continue;
                fn(Piece{&bl.cells[c], b.rows[r].cells[col].text, TextContext{BlockKind::Table, 0, b.rows[r].header},
                         ImVec2(0, 0), static_cast<int32_t>(i), static_cast<int32_t>(c)},
                   ImVec2(bl.x + bl.column_x[col] + params.cell_padding, view.body_y + bl.y + bl.row_y[r] + params.cell_padding));
            }
        } else if (b.kind != BlockKind::Rule) {
            fn(Piece{&bl.text, b.text, text_context_of(b), ImVec2(0, 0), static_cast<int32_t>(i), -1},
               ImVec2(bl.x + bl.text_x, view.body_y + bl.y + bl.text_y));
        }
    }
}

} // namespace

const MessageMetrics& message_metrics()
{
    return g_metrics;
}

bool ref_less(const TextRef& a, const TextRef& b)
{
    if (a.block != b.block)
        return a.block < b.block;
    if (a.cell != b.cell)
        return a.cell < b.cell;
    return a.offset < b.offset;
}

void MessageView::release()
{
    doc.clear();
    body.clear();
    plain = TextLayout();
    reasoning = TextLayout();
    reasoning_bytes = 0;
    laid_out = false;
}

bool MessageView::update(const Message& m, const LayoutFontsImGui& fonts, float w)
{
    // A formula's answer (its size, or a failure) changes the layout of messages that hold one.
    const bool math_changed = math_generation != 0 && math_generation != math_images().generation();
    if (m.revision == revision && fonts.key() == fonts_key && w == width && laid_out && !math_changed)
        return false;
    if (math_changed)
        body.clear();
    laid_out = true;
    const MessageMetrics& mm = g_metrics;
    if (m.role == Role::User || m.role == Role::System) {
        plain = layout_text(m.text, {}, fonts, TextContext{}, w * 0.8f - 2 * mm.bubble_padding, WrapMode::Words);
        bubble_width = plain.width + 2 * mm.bubble_padding;
        body_y = 0;
        footer_y = plain.height + 2 * mm.bubble_padding;
    } else {
        float y = 0;
        // Live while thinking, folded once the answer starts, unless the reader chose.
        if (!thinking_touched)
            thinking_open = m.text.empty() && (m.status == MessageStatus::Streaming || m.status == MessageStatus::Waiting);
        if (!m.reasoning.empty()) {
            y += mm.thinking_header;
            if (thinking_open) {
                // A streaming reply's reasoning only grows: re-wrap from its last line on.
                const bool live = m.status == MessageStatus::Streaming || m.status == MessageStatus::Waiting;
                if (live && reasoning_bytes > 0 && m.reasoning.size() >= reasoning_bytes &&
                    fonts.key() == fonts_key && w == width)
                    relayout_text_tail(reasoning, m.reasoning, {}, fonts, TextContext{}, w - 14, WrapMode::Words,
                                       uint32_t(reasoning_bytes));
                else
                    reasoning = layout_text(m.reasoning, {}, fonts, TextContext{}, w - 14, WrapMode::Words);
                reasoning_bytes = m.reasoning.size();
                y += reasoning.height + 8;
            } else {
                reasoning_bytes = 0;
            }
        }
        body_y = y;
        doc.set_text_appended(m.text, m.status != MessageStatus::Streaming && m.status != MessageStatus::Waiting);
        body.update(doc.blocks(), fonts, body_params(w), doc.final_block_count());
        math_generation = m.text.find_first_of("$\\") != std::string::npos ? math_images().generation() : 0;
        y += body.height();
        tools_y = y;
        tools_h = m.tool_calls.empty() ? 0 : kToolCardsGap + layout_tool_call_cards(m, fonts, w, tool_cards);
        y += tools_h;
        if (!m.error.empty())
            y += fonts.face(Face_Body).metrics.line_height + 4;
        footer_y = y;
    }
    height = footer_y + mm.footer_height;
    revision = m.revision;
    fonts_key = fonts.key();
    width = w;
    return true;
}

void draw_message_text(const Message& m, const MessageView& view, const DrawContext& ctx)
{
    const Theme& t = theme();
    const MessageMetrics& mm = g_metrics;
    if (m.role == Role::User || m.role == Role::System) {
        ImVec2 a(ctx.origin.x + ctx.width - view.bubble_width, ctx.origin.y);
        ctx.draw->AddRectFilled(a, ImVec2(ctx.origin.x + ctx.width, ctx.origin.y + view.footer_y), t.user_bubble, 12.0f);
        Piece piece{&view.plain, m.text, TextContext{}, ImVec2(a.x + mm.bubble_padding, a.y + mm.bubble_padding), -1, -1};
        draw_piece(ctx, piece, t.text);
        return;
    }
    if (!m.reasoning.empty() && view.thinking_open) {
        float y = ctx.origin.y + mm.thinking_header;
        ctx.draw->AddRectFilled(ImVec2(ctx.origin.x + 2, y), ImVec2(ctx.origin.x + 4, y + view.reasoning.height), t.quote_bar);
        Piece piece{&view.reasoning, m.reasoning, TextContext{}, ImVec2(ctx.origin.x + 14, y), -2, -1};
        DrawContext plain_ctx = ctx;
        plain_ctx.has_selection = false;
        draw_piece(plain_ctx, piece, t.text_dim);
    }
    const auto& blocks = view.doc.blocks();
    const auto& layouts = view.body.blocks();
    ImVec2 body_origin(ctx.origin.x, ctx.origin.y + view.body_y);
    // Blocks are in vertical order: start at the first one that reaches the visible area.
    size_t first = view.body.first_block_below(ctx.clip.y - body_origin.y);
    for (size_t i = first; i < layouts.size() && i < blocks.size(); i++) {
        if (body_origin.y + layouts[i].y > ctx.clip.w)
            break;
        draw_block(ctx, blocks[i], layouts[i], static_cast<int32_t>(i), body_origin);
    }
    if (view.tools_h > 0)
        draw_tool_call_cards(m, view.tool_cards, ctx, ctx.origin.y + view.tools_y + kToolCardsGap);
    if (!m.error.empty()) {
        const Face& face = ctx.fonts->face(Face_Body);
        float y = ctx.origin.y + view.tools_y + view.tools_h + 2;
        ctx.draw->AddText(face.font, face.size, ImVec2(ctx.origin.x, y), t.error, m.error.c_str(), nullptr,
                          ctx.width);
    }
}

TextRef text_ref_at(const Message& m, const MessageView& view, const LayoutFontsImGui& fonts, float x, float y)
{
    TextRef best;
    float best_distance = FLT_MAX;
    // The block under y and its neighbours (the nearest text may sit just above or below).
    size_t near = m.role == Role::Assistant ? view.body.first_block_below(y - view.body_y) : 0;
    size_t first = near > 0 ? near - 1 : 0;
    for_each_piece(m, view, [&](const Piece& piece, ImVec2 pos) {
        float top = pos.y, bottom = pos.y + piece.layout->height;
        float left = pos.x, right = pos.x + std::max(piece.layout->width, 1.0f);
        float dy = y < top ? top - y : (y > bottom ? y - bottom : 0);
        float dx = x < left ? left - x : (x > right ? x - right : 0);
        float d = dy * 4 + dx;  // rows matter more than columns
        if (d < best_distance) {
            best_distance = d;
            best.block = piece.block;
            best.cell = piece.cell;
            best.offset = TextView(*piece.layout, piece.text, fonts, piece.context).offset_at(x - pos.x, y - pos.y);
        }
    }, first, near + 2);
    return best;
}

std::string text_between(const Message& m, const MessageView& view, TextRef a, TextRef b)
{
    if (ref_less(b, a))
        std::swap(a, b);
    std::string out;
    int32_t last_block = -3;
    for_each_piece(m, view, [&](const Piece& piece, ImVec2) {
        TextRef start{piece.block, piece.cell, 0};
        TextRef end{piece.block, piece.cell, static_cast<uint32_t>(piece.text.size())};
        if (ref_less(end, a) || ref_less(b, start))
            return;
        uint32_t from = ref_less(a, start) ? 0 : a.offset;
        uint32_t to = ref_less(end, b) ? end.offset : b.offset;
        if (from >= to)
            return;
        if (!out.empty())
            out += piece.block == last_block ? "\t" : "\n";
        out.append(piece.text.substr(from, to - from));
        last_block = piece.block;
    });
    return out;
}

void word_at(const Message& m, const MessageView& view, TextRef at, TextRef& start, TextRef& end)
{
    start = end = at;
    for_each_piece(m, view, [&](const Piece& piece, ImVec2) {
        if (piece.block != at.block || piece.cell != at.cell)
            return;
        uint32_t b, e;
        word_around(piece.text, at.offset, b, e);
        start.offset = b;
        end.offset = e;
    });
}

const char* link_at(const Message& m, const MessageView& view, const TextRef& ref)
{
    if (m.role != Role::Assistant || ref.block < 0 || static_cast<size_t>(ref.block) >= view.doc.blocks().size())
        return nullptr;
    const Block& b = view.doc.blocks()[ref.block];
    const std::vector<Span>* spans = &b.spans;
    if (ref.cell >= 0) {
        size_t columns = b.rows.empty() ? 0 : b.rows[0].cells.size();
        size_t r = columns ? ref.cell / columns : 0, c = columns ? ref.cell % columns : 0;
        if (r >= b.rows.size() || c >= b.rows[r].cells.size())
            return nullptr;
        spans = &b.rows[r].cells[c].spans;
    }
    for (const Span& s : *spans) {
        if ((s.style & SpanStyle_Link) && ref.offset >= s.begin && ref.offset < s.end && s.link < view.doc.links().size())
            return view.doc.links()[s.link].url.c_str();
    }
    return nullptr;
}

void open_link(const char* url)
{
    std::string_view u(url);
    if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0)
        return;
    ImGuiPlatformIO& pio = ImGui::GetPlatformIO();
    if (pio.Platform_OpenInShellFn)
        pio.Platform_OpenInShellFn(ImGui::GetCurrentContext(), url);
}

} // namespace imchat::ui
