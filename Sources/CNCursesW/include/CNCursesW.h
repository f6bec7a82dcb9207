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

unsigned int sparkify_attr_bold(void);
unsigned int sparkify_attr_dim(void);
unsigned int sparkify_attr_reverse(void);
unsigned int sparkify_attr_underline(void);
int sparkify_screen_rows(void);
int sparkify_screen_cols(void);
// curses' standard screen (a C global, which Swift 6 will not read unchecked).
void sparkify_keypad_nodelay(void);

/* get_wch in one call: returns OK, KEY_CODE_YES or ERR, the key in *out. */
int sparkify_get_wch(unsigned int *out);

/* Draws one cell: a base character and its combining marks (up to 5 scalars). */
int sparkify_put_cell(int y, int x, const unsigned int *scalars, int n, unsigned int attrs, short pair);

/* Terminal safety. `sparkify_terminal_save` keeps the line settings from before curses;
   `sparkify_install_handlers` (after initscr) makes SIGTERM and SIGHUP write a byte to
   wake_fd for the event loop to end cleanly, and makes crash signals put the terminal back
   (normal screen, visible cursor, saved line settings) before the process dies. */
void sparkify_terminal_save(void);
void sparkify_install_handlers(int wake_fd);
int sparkify_pending_signal(void);

#endif
