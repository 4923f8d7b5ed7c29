#!/usr/bin/env python3
"""Writes utf8proc's data file cut down to what grapheme clusters need.

utf8proc keeps every property of every code point (decompositions, case maps, widths): about
320 KB of wasm, more than the rest of the page's text code. imchat asks utf8proc only for grapheme
breaks (core/graphemes), which read two properties: the grapheme break class and the Indic
conjunct break class. This keeps the tables' names and layout, so utf8proc.c compiles unchanged,
with one property row per distinct pair of those two, the other properties at their defaults,
and the two-stage lookup re-packed over the fewer rows. Every other utf8proc function answers
wrongly in this build; the core calls none of them (its native tests run on this build too).

usage: utf8proc_graphemes.py SOURCE_DATA_C OUTPUT_DATA_C
"""
import re
import sys


def array(text, name):
    m = re.search(r'static const \w+ ' + name + r'\[\] = \{(.*?)\};', text, re.S)
    if not m:
        sys.exit(f'utf8proc_graphemes: no {name} in the data file')
    return m.group(1)


def numbers(body):
    return [int(v) for v in re.findall(r'\d+', body)]


def main(source, output):
    text = open(source, encoding='utf-8').read()
    stage1 = numbers(array(text, 'utf8proc_stage1table'))
    stage2 = numbers(array(text, 'utf8proc_stage2table'))
    rows = [r.strip() for r in re.findall(r'^\s*\{(.*)\},?\s*$', array(text, 'utf8proc_properties'), re.M)]
    if len(rows) < 100 or len(stage1) != 0x110000 >> 8:
        sys.exit('utf8proc_graphemes: the data file has an unexpected shape')
    fields = [[f.strip() for f in r.split(',')] for r in rows]
    template = fields[0]  # the row of unassigned code points: every default
    pairs = {(template[-2], template[-1]): 0}
    new_rows = [template]
    remap = []
    for f in fields:
        key = (f[-2], f[-1])
        if key not in pairs:
            pairs[key] = len(new_rows)
            new_rows.append(template[:-2] + [f[-2], f[-1]])
        remap.append(pairs[key])
    blocks, new_stage1, new_stage2 = {}, [], []
    for hi in range(len(stage1)):
        block = tuple(remap[stage2[stage1[hi] + lo]] for lo in range(256))
        if block not in blocks:
            blocks[block] = len(new_stage2)
            new_stage2.extend(block)
        new_stage1.append(blocks[block])

    def write(name, ctype, values):
        out.write(f'static const {ctype} {name}[] = {{\n')
        for i in range(0, len(values), 16):
            out.write('  ' + ', '.join(str(v) for v in values[i:i + 16]) + ',\n')
        out.write('};\n\n')

    with open(output, 'w', encoding='utf-8') as out:
        out.write('/* Written by imchat cmake/utf8proc_graphemes.py from utf8proc_data.c: grapheme break\n'
                  '   properties only. Not for any other utf8proc function. */\n')
        write('utf8proc_sequences', 'utf8proc_uint16_t', [0])
        write('utf8proc_stage1table', 'utf8proc_uint16_t', new_stage1)
        write('utf8proc_stage2table', 'utf8proc_uint16_t', new_stage2)
        out.write('static const utf8proc_property_t utf8proc_properties[] = {\n')
        for f in new_rows:
            out.write('  {' + ', '.join(f) + '},\n')
        out.write('};\n\n')
        write('utf8proc_combinations_second', 'utf8proc_int32_t', [0])
        write('utf8proc_combinations_combined', 'utf8proc_int32_t', [0])


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
