"""Renders a tmux `capture-pane -e` dump (text with SGR escapes) to a PNG, colours kept.

Used by scripts/screenshots; run with the system Python, which carries Pillow (python3-pil).
Usage: ansi_png.py INPUT.ans OUTPUT.png COLUMNS ROWS
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SIZE = 16
BACKGROUND = (24, 26, 33)
FOREGROUND = (214, 219, 229)
# The 16 ANSI colours of a calm dark theme (what tmux passes through for colours 0-15).
PALETTE = [
    (40, 44, 52), (224, 108, 117), (152, 195, 121), (229, 192, 123),
    (97, 175, 239), (198, 120, 221), (86, 182, 194), (171, 178, 191),
    (92, 99, 112), (240, 128, 136), (172, 215, 141), (240, 208, 140),
    (127, 195, 255), (218, 140, 241), (106, 202, 214), (255, 255, 255),
]


def colour256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


def cell_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text, columns, rows):
    """Yields a grid of (char, fg, bg, bold, dim, reverse) per cell."""
    grid = [[(" ", None, None, False, False, False) for _ in range(columns)] for _ in range(rows)]
    state = {"fg": None, "bg": None, "bold": False, "dim": False, "reverse": False}
    token = re.compile(r"\x1b\[([0-9;]*)m|\x1b\][^\x07]*\x07|([^\x1b])")
    for row, line in enumerate(text.split("\n")[:rows]):
        col = 0
        for match in token.finditer(line):
            if match.group(1) is not None:
                apply_sgr(state, match.group(1))
                continue
            ch = match.group(2)
            if ch is None:
                continue
            width = cell_width(ch)
            if width == 0 and col > 0:
                prev = grid[row][col - 1]
                grid[row][col - 1] = (prev[0] + ch,) + prev[1:]
                continue
            if col >= columns:
                break
            grid[row][col] = (ch, state["fg"], state["bg"], state["bold"], state["dim"], state["reverse"])
            if width == 2 and col + 1 < columns:
                grid[row][col + 1] = ("", state["fg"], state["bg"], state["bold"], state["dim"], state["reverse"])
            col += width
    return grid


def apply_sgr(state, params):
    codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            state.update(fg=None, bg=None, bold=False, dim=False, reverse=False)
        elif c == 1:
            state["bold"] = True
        elif c == 2:
            state["dim"] = True
        elif c == 22:
            state["bold"] = state["dim"] = False
        elif c == 7:
            state["reverse"] = True
        elif c == 27:
            state["reverse"] = False
        elif 30 <= c <= 37:
            state["fg"] = PALETTE[c - 30]
        elif 90 <= c <= 97:
            state["fg"] = PALETTE[c - 90 + 8]
        elif c == 39:
            state["fg"] = None
        elif 40 <= c <= 47:
            state["bg"] = PALETTE[c - 40]
        elif 100 <= c <= 107:
            state["bg"] = PALETTE[c - 100 + 8]
        elif c == 49:
            state["bg"] = None
        elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
            state["fg" if c == 38 else "bg"] = colour256(codes[i + 2])
            i += 2
        elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
            state["fg" if c == 38 else "bg"] = tuple(codes[i + 2:i + 5])
            i += 4
        i += 1


def render(grid, path):
    regular = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", SIZE)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", SIZE)
    left, top, right, bottom = regular.getbbox("M")
    cell_w = int(regular.getlength("M"))
    cell_h = int(SIZE * 1.25)
    margin = 12
    rows, columns = len(grid), len(grid[0])
    image = Image.new("RGB", (columns * cell_w + 2 * margin, rows * cell_h + 2 * margin), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y, line in enumerate(grid):
        for x, (ch, fg, bg, is_bold, is_dim, reverse) in enumerate(line):
            if ch == "":
                continue
            fore, back = fg or FOREGROUND, bg or BACKGROUND
            if reverse:
                fore, back = back, fore
            if is_dim:
                fore = tuple((f + b) // 2 for f, b in zip(fore, back))
            width = cell_w * (2 if cell_width(ch[0]) == 2 else 1)
            px, py = margin + x * cell_w, margin + y * cell_h
            if back != BACKGROUND:
                draw.rectangle([px, py, px + width - 1, py + cell_h - 1], fill=back)
            if ch in ("█",):
                draw.rectangle([px, py, px + width - 1, py + cell_h - 1], fill=fore)
            elif ch in ("─", "│", "┌", "┐", "└", "┘"):
                draw_box(draw, ch, px, py, cell_w, cell_h, fore)
            elif ch != " ":
                draw.text((px, py + 1), ch, font=bold if is_bold else regular, fill=fore)
    image.save(path)


def draw_box(draw, ch, px, py, w, h, colour):
    """Box lines drawn as lines, so they join across cells whatever the font's metrics."""
    cx, cy = px + w // 2, py + h // 2
    if ch in ("─", "┌", "└"):
        draw.line([(cx if ch != "─" else px, cy), (px + w, cy)], fill=colour)
    if ch in ("─", "┐", "┘"):
        draw.line([(px, cy), (cx if ch != "─" else px + w, cy)], fill=colour)
    if ch in ("│", "┌", "┐"):
        draw.line([(cx, cy if ch != "│" else py), (cx, py + h)], fill=colour)
    if ch in ("│", "└", "┘"):
        draw.line([(cx, py), (cx, cy if ch != "│" else py + h)], fill=colour)


if __name__ == "__main__":
    source, target, columns, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(source, encoding="utf-8", errors="replace") as handle:
        render(parse(handle.read(), columns, rows), target)
