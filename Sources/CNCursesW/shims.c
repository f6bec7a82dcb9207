#define _XOPEN_SOURCE 700
#include "CNCursesW.h"
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <term.h>

/* The console draws boxes, bars and names in UTF-8. Under a bare "C" or "POSIX" locale (cron,
   a minimal container) ncursesw would print those as escapes, so fall back to C.UTF-8. */
int sparkify_curses_setlocale(void) {
    int ok = setlocale(LC_ALL, "") != NULL;
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL || strcmp(codeset, "UTF-8") != 0) ok = setlocale(LC_CTYPE, "C.UTF-8") != NULL;
    return ok;
}

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


int sparkify_put_cell(int y, int x, const unsigned int *scalars, int n, unsigned int attrs, short pair) {
    wchar_t wc[CCHARW_MAX + 1];
    int count = n < CCHARW_MAX ? n : CCHARW_MAX;
    for (int i = 0; i < count; i++) wc[i] = (wchar_t)scalars[i];
    wc[count] = 0;
    cchar_t cell;
    if (setcchar(&cell, wc, (attr_t)attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

static struct termios saved_termios;
static int saved_termios_ok = 0;
static volatile sig_atomic_t pending_signal = 0;
static int wake_descriptor = -1;
/* Built before any signal can arrive, so the handler only calls write and tcsetattr,
   both async-signal-safe. */
static char restore_sequence[256];
static size_t restore_length = 0;

void sparkify_terminal_save(void) { saved_termios_ok = tcgetattr(STDIN_FILENO, &saved_termios) == 0; }

static void append_capability(const char *name) {
    char *value = tigetstr((char *)name);
    if (value == NULL || value == (char *)-1) return;
    size_t length = strlen(value);
    if (restore_length + length >= sizeof restore_sequence) return;
    memcpy(restore_sequence + restore_length, value, length);
    restore_length += length;
}

/* Mouse reporting (xterm's 1000, SGR 1006) off, whether or not it was on: a crashed console
   must not leave the shell receiving escape sequences for every click. */
static const char mouse_off[] = "\033[?1006l\033[?1000l";

static void emergency_restore(void) {
    { ssize_t ignored = write(STDOUT_FILENO, mouse_off, sizeof mouse_off - 1); (void)ignored; }
    if (restore_length > 0) { ssize_t ignored = write(STDOUT_FILENO, restore_sequence, restore_length); (void)ignored; }
    if (saved_termios_ok) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
}

static void on_quit_signal(int sig) {
    pending_signal = sig;
    if (wake_descriptor >= 0) { char byte = 's'; ssize_t ignored = write(wake_descriptor, &byte, 1); (void)ignored; }
}

static void on_crash_signal(int sig) {
    emergency_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

void sparkify_install_handlers(int wake_fd) {
    wake_descriptor = wake_fd;
    restore_length = 0;
    append_capability("sgr0");
    append_capability("cnorm");
    append_capability("rmkx");
    append_capability("rmcup");
    struct sigaction quit;
    memset(&quit, 0, sizeof quit);
    quit.sa_handler = on_quit_signal;
    sigemptyset(&quit.sa_mask);
    sigaction(SIGTERM, &quit, NULL);
    sigaction(SIGHUP, &quit, NULL);
    struct sigaction crash;
    memset(&crash, 0, sizeof crash);
    crash.sa_handler = on_crash_signal;
    sigemptyset(&crash.sa_mask);
    int crashes[] = { SIGSEGV, SIGBUS, SIGILL, SIGABRT, SIGFPE, SIGTRAP };
    for (unsigned i = 0; i < sizeof crashes / sizeof crashes[0]; i++) sigaction(crashes[i], &crash, NULL);
}

int sparkify_pending_signal(void) { return pending_signal; }

void sparkify_keypad_nodelay(void) {
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
}
