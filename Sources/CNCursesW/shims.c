#define _XOPEN_SOURCE 700
#include "CNCursesW.h"
#include <locale.h>
#include <stdlib.h>

int sparkify_curses_setlocale(void) { return setlocale(LC_ALL, "") != NULL; }

int sparkify_color_pair(int pair) { return COLOR_PAIR(pair); }
unsigned int sparkify_attr_bold(void) { return A_BOLD; }
unsigned int sparkify_attr_dim(void) { return A_DIM; }
unsigned int sparkify_attr_reverse(void) { return A_REVERSE; }
unsigned int sparkify_attr_underline(void) { return A_UNDERLINE; }

int sparkify_screen_rows(void) { int y, x; getmaxyx(stdscr, y, x); (void)x; return y; }
int sparkify_screen_cols(void) { int y, x; getmaxyx(stdscr, y, x); (void)y; return x; }

int sparkify_get_wch(unsigned int *out) {
    wint_t ch = 0;
    int rc = get_wch(&ch);
    *out = (unsigned int)ch;
    return rc;
}

int sparkify_put_wide(int y, int x, const unsigned int *chars, int n, unsigned int attrs) {
    int rc = OK;
    move(y, x);
    for (int i = 0; i < n && rc == OK; i++) {
        wchar_t wc[2] = { (wchar_t)chars[i], 0 };
        cchar_t cell;
        setcchar(&cell, wc, (attr_t)attrs, 0, NULL);
        rc = add_wch(&cell);
    }
    return rc;
}

int sparkify_wcwidth(unsigned int ch) { return wcwidth((wchar_t)ch); }
