#include "ui/transcript_mirror.h"

#include <algorithm>
#include <cstring>

#include "core/sentences.h"
#include "platform/a11y_dom.h"
#include "platform/platform.h"
#include "ui/a11y_twins.h"

namespace imchat::ui {

namespace {

using platform::InlineRun;
using platform::MirrorKind;

platform::MirrorBlock header_of(const Block& b)
{
    platform::MirrorBlock h;
    static const MirrorKind kKinds[] = {MirrorKind::Paragraph, MirrorKind::Heading, MirrorKind::Code,
                                        MirrorKind::ListItem, MirrorKind::Table, MirrorKind::Rule};
    h.kind = kKinds[static_cast<int>(b.kind)];
    h.level = b.level;
    h.quote_depth = b.quote_depth;
    h.list_depth = b.list_depth;
    h.ordered = b.ordered;
    h.number = b.number;
    h.task_state = b.task_state;
    return h;
}

// The URLs of the links in the runs runs_of() made last.
platform::InlineLinks& run_links()
{
    static platform::InlineLinks urls;
    return urls;
}

// Style runs covering text[from, to) of a block, offsets relative to `from`. Code blocks are
// one plain run (their spans are highlight tokens, not emphasis). A link (the document keeps
// http and https ones only) becomes a link run whose URL goes to run_links().
std::vector<InlineRun>& runs_of(const Block& b, size_t from, size_t to, const std::vector<Link>& links)
{
    static std::vector<InlineRun> runs;
    runs.clear();
    run_links().clear();
    uint32_t link_count = 0;
    auto plain = [&](size_t a, size_t z) {
        if (z > a)
            runs.push_back({static_cast<uint32_t>(a - from), static_cast<uint32_t>(z - from), 0});
    };
    size_t at = from;
    if (b.kind != BlockKind::CodeBlock)
        for (const Span& s : b.spans) {
            size_t begin = std::max<size_t>(s.begin, at), end = std::min<size_t>(s.end, to);
            if (end <= begin)
                continue;
            uint32_t style = ((s.style & SpanStyle_Strong) ? platform::Inline_Strong : 0) |
                             ((s.style & SpanStyle_Emphasis) ? platform::Inline_Emphasis : 0) |
                             ((s.style & SpanStyle_Strike) ? platform::Inline_Strike : 0) |
                             ((s.style & SpanStyle_Code) ? platform::Inline_Code : 0);
            if ((s.style & SpanStyle_Link) && s.link < links.size()) {
                style |= platform::Inline_Link | (link_count++ << 8);
                run_links() += links[s.link].url;
                run_links() += '\x1e';
            }
            plain(at, begin);
            runs.push_back({static_cast<uint32_t>(begin - from), static_cast<uint32_t>(end - from), style});
            at = end;
        }
    plain(at, to);
    return runs;
}

// A table's rows from `first` on: cells end in U+001F... separated, rows end in U+001E.
std::string rows_text(const Block& b, size_t first)
{
    std::string out;
    for (size_t r = first; r < b.rows.size(); r++) {
        for (size_t c = 0; c < b.rows[r].cells.size(); c++) {
            if (c)
                out += '\x1f';
            out += b.rows[r].cells[c].text;
        }
        out += '\x1e';
    }
    return out;
}

// The text of a block as the page holds it. An open code fence's last line always ends in
// '\n' in the block, even while it is still being written ("c\n", then "co\n"): without that
// '\n' each token only adds to the text, and no half line passes for a whole one.
std::string_view shown_text(const Block& b)
{
    std::string_view t = b.text;
    if (b.kind == BlockKind::CodeBlock && b.code_open && !t.empty() && t.back() == '\n')
        t.remove_suffix(1);
    return t;
}

// Writes a block to the page; returns it as written (its copy kept to compare later ones with).
Block write_block(const Block& b, const std::vector<Link>& links)
{
    Block written = b;
    written.text = shown_text(b);
    if (b.kind == BlockKind::Table)
        platform::mirror_block(header_of(b), rows_text(b, 0), {}, {});
    else
        platform::mirror_block(header_of(b), written.text, runs_of(b, 0, written.text.size(), links), run_links());
    return written;
}

bool same_header(const Block& a, const Block& b)
{
    return a.kind == b.kind && a.level == b.level && a.quote_depth == b.quote_depth && a.list_depth == b.list_depth &&
           a.ordered == b.ordered && a.number == b.number && a.task_state == b.task_state && a.code_lang == b.code_lang;
}

// Whether `now` is `old` (as written) with text added at its end and nothing before it restyled.
bool grew_from(const Block& old, const Block& now)
{
    size_t n = old.text.size();
    std::string_view text = shown_text(now);
    if (!same_header(old, now) || text.size() < n)
        return false;
    // The document says when a block is an older one with text added after base_bytes (an open
    // code fence's new line): only the rest needs a look, so a token costs the token.
    size_t from = now.base_revision && now.base_revision == old.revision ? std::min<size_t>(now.base_bytes, n) : 0;
    if (memcmp(text.data() + from, old.text.data() + from, n - from) != 0)
        return false;
    if (now.kind == BlockKind::CodeBlock)
        return true;  // its spans are highlight tokens, which the page does not show
    // The spans over the old text, cut at its end, must be the old ones (cut the same way).
    size_t i = 0;
    for (const Span& s : now.spans) {
        if (s.begin >= n)
            break;
        if (i >= old.spans.size())
            return false;
        const Span& o = old.spans[i++];
        if (o.begin != s.begin || o.style != s.style || std::min<size_t>(o.end, n) != std::min<size_t>(s.end, n))
            return false;
    }
    return i == old.spans.size();
}

const char* article_name(Role role)
{
    return role == Role::User ? twin_name(Twin_You) : role == Role::Assistant ? twin_name(Twin_Assistant) : role_name(role);
}

} // namespace

void TranscriptMirror::reset()
{
    *this = TranscriptMirror();
    platform::mirror_truncate(0);
}

void TranscriptMirror::update(const Conversation& c)
{
    if (c.revision() == revision_ && !pending_)
        return;  // nothing new since the last look (the usual idle or scrolling frame)
    struct Timed {
        double start = platform::now_ms();
        ~Timed() { a11y_ms_spent() += platform::now_ms() - start; }
    } timed;
    revision_ = c.revision();
    pending_ = false;
    if (c.structure_revision() != structure_) {
        // The last messages of the active path, up to kMaxBytes of text (the last one whole):
        // a browser lays out all the text it holds, and a 50 MB import would take it seconds.
        path_ = c.active_path();
        size_t first = path_.size(), bytes = 0;
        while (first > 0 && (first == path_.size() || bytes + c.find(path_[first - 1])->text.size() <= kMaxBytes))
            bytes += c.find(path_[--first])->text.size();
        path_.erase(path_.begin(), path_.begin() + static_cast<std::ptrdiff_t>(first));
        structure_ = c.structure_revision();
    }
    size_t keep = 0;
    while (keep < shown_.size() && keep < path_.size() && shown_[keep].id == path_[keep])
        keep++;
    if (keep < shown_.size()) {  // another branch, or a message removed: those articles go
        shown_.resize(keep);
        platform::mirror_truncate(static_cast<int>(keep));
        selected_ = keep ? keep - 1 : ~size_t(0);
    }
    for (size_t i = 0; i < path_.size(); i++) {
        const Message& m = *c.find(path_[i]);
        if (i < shown_.size() && shown_[i].revision == m.revision)
            continue;
        bool ended = m.status != MessageStatus::Waiting && m.status != MessageStatus::Streaming;
        bool live_here = i < shown_.size() && shown_[i].revision == kLive && m.id == live_id_;
        if (!live_here && (ended || m.role != Role::Assistant)) {
            write_message(i, m);
            continue;
        }
        if (!live_here) {  // a reply starts streaming: its article starts empty
            if (i < shown_.size())
                shown_.resize(i), platform::mirror_truncate(static_cast<int>(i));
            platform::mirror_message(static_cast<int>(i), article_name(m.role));
            selected_ = i;
            shown_.push_back({m.id, kLive});
            live_id_ = m.id;
            doc_.clear();
            settled_ = said_block_ = said_bytes_ = scanned_ = 0;
            open_.clear();
            live_ms_ = -1e9;
        }
        if (follow_live(i, m, ended) && ended) {
            shown_[i].revision = m.revision;
            live_id_ = 0;
        }
    }
}

void TranscriptMirror::write_message(size_t index, const Message& m)
{
    platform::mirror_message(static_cast<int>(index), article_name(m.role));
    selected_ = index;
    if (m.role == Role::Assistant) {
        ParsedMarkdown parsed = parse_markdown(m.text, MarkdownOptions{false, false});
        for (const Block& b : parsed.blocks)
            (void)write_block(b, parsed.links);
    } else if (!m.text.empty()) {
        Block b;  // the user's words as typed: no markdown
        b.text = m.text;
        (void)write_block(b, {});
    }
    Shown shown{m.id, m.revision};
    if (index < shown_.size())
        shown_[index] = shown;
    else
        shown_.push_back(shown);
}

bool TranscriptMirror::follow_live(size_t index, const Message& m, bool ended)
{
    double now = platform::now_ms();
    if (!ended && now - live_ms_ < live_interval_ms) {
        pending_ = true;  // come back for it even if no other token arrives
        platform::request_frame_after(live_interval_ms - (now - live_ms_));
        return false;
    }
    live_ms_ = now;
    if (selected_ != index) {
        platform::mirror_message(static_cast<int>(index), nullptr);  // selects it, keeps it
        selected_ = index;
    }
    doc_.set_text_appended(m.text, ended);
    sync_live_blocks(ended);
    announce_sentences(ended);
    return true;
}

void TranscriptMirror::sync_live_blocks(bool ended)
{
    const std::vector<Block>& blocks = doc_.blocks();
    size_t written = settled_ + open_.size();
    size_t same = settled_;
    // Revisions are unique stamps: an equal one is an unchanged block, with no text compared.
    // The last block is left to grew_from below, which looks at its new bytes only.
    auto unchanged = [&](size_t k) {
        const Block& a = open_[k - settled_];
        return a.revision == blocks[k].revision || (k + 1 < written && a == blocks[k]);
    };
    while (same < written && same < blocks.size() && unchanged(same))
        same++;
    // The usual token: only the last written block changed, by text added at its end.
    if (same + 1 == written && same < blocks.size()) {
        Block& old = open_.back();
        const Block& now = blocks[same];
        if (now.kind == BlockKind::Table && old.kind == BlockKind::Table && old.alignments == now.alignments &&
            !old.rows.empty() && now.rows.size() >= old.rows.size()) {
            size_t row = 0;
            while (row < old.rows.size() && old.rows[row] == now.rows[row])
                row++;
            platform::mirror_table_rows(static_cast<int>(row), rows_text(now, row));
            old.rows.resize(row);
            old.rows.insert(old.rows.end(), now.rows.begin() + row, now.rows.end());
            same = written;
        } else if (grew_from(old, now)) {
            size_t n = old.text.size();
            std::string_view added = shown_text(now).substr(n);
            if (!added.empty())
                platform::mirror_append(added, runs_of(now, n, n + added.size(), doc_.links()), run_links());
            old.text.append(added);
            if (now.kind != BlockKind::CodeBlock)
                old.spans = now.spans;
            old.code_open = now.code_open;
            old.revision = now.revision;
            same = written;
        }
    }
    if (same < written) {
        platform::mirror_truncate_blocks(static_cast<int>(same));
        open_.resize(same - settled_);
    }
    for (size_t k = same; k < blocks.size(); k++)
        open_.push_back(write_block(blocks[k], doc_.links()));
    size_t final_count = ended ? blocks.size() : std::min(doc_.final_block_count(), blocks.size());
    if (final_count > settled_) {
        size_t drop = std::min(final_count - settled_, open_.size());
        open_.erase(open_.begin(), open_.begin() + static_cast<std::ptrdiff_t>(drop));
        settled_ += drop;
    }
}

// Whole sentences of the reply go to the live region as they complete; a block that has
// ended (another one follows it) is said to its end; when the reply ends, the rest.
void TranscriptMirror::announce_sentences(bool ended)
{
    const std::vector<Block>& blocks = doc_.blocks();
    std::string out;
    auto say = [&](std::string_view text) {
        if (!out.empty() && !text.empty())
            out += ' ';
        out.append(text);
    };
    while (said_block_ < blocks.size()) {
        const Block& b = blocks[said_block_];
        bool complete = ended || said_block_ + 1 < blocks.size();
        if (b.kind == BlockKind::Table) {
            if (!complete)
                break;
            for (const TableRow& row : b.rows) {
                std::string line;
                for (const TableCell& cell : row.cells)
                    line += (line.empty() ? "" : ", ") + cell.text;
                say(line + ".");
            }
        } else {
            std::string_view t = complete ? std::string_view(b.text) : shown_text(b);
            said_bytes_ = std::min(said_bytes_, t.size());
            size_t end = complete ? t.size() : last_sentence_end(t, said_bytes_, std::max(scanned_, said_bytes_));
            scanned_ = t.size() ? t.size() - 1 : 0;
            std::string_view part = t.substr(said_bytes_, end - said_bytes_);
            while (!part.empty() && (part.back() == ' ' || part.back() == '\n'))
                part.remove_suffix(1);
            say(part);
            said_bytes_ = end;
            if (!complete)
                break;
        }
        said_block_++;
        said_bytes_ = scanned_ = 0;
    }
    platform::announce(out);
}

}  // namespace imchat::ui
