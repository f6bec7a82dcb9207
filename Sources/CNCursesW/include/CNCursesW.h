#ifndef SPARKIFY_CNCURSESW_H
#define SPARKIFY_CNCURSESW_H

/* The wide-character API must be switched on before ncurses.h is read, or
   get_wch/add_wch silently vanish and non-ASCII names break. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/ncurses.h>
#include <wchar.h>

/* Swift cannot import function-like macros; these shims give them a name. */

/* Reads the locale from the environment; must run before initscr. */
int sparkify_curses_setlocale(void);

int sparkify_color_pair(int pair);
unsigned int sparkify_attr_bold(void);
unsigned int sparkify_attr_dim(void);
unsigned int sparkify_attr_reverse(void);
unsigned int sparkify_attr_underline(void);
int sparkify_screen_rows(void);
int sparkify_screen_cols(void);

/* get_wch in one call: returns OK, KEY_CODE_YES or ERR, the key in *out. */
int sparkify_get_wch(unsigned int *out);

/* Draws a UTF-32 string of n characters at (y, x) with attributes. */
int sparkify_put_wide(int y, int x, const unsigned int *chars, int n, unsigned int attrs);

/* Terminal column width of one character (wcwidth under the current locale). */
int sparkify_wcwidth(unsigned int ch);

#endif
