import CNCursesW
import Foundation

/// The real terminal, through ncursesw. Only the UI thread calls it. It turns curses keys into
/// `Key`s and copies a finished `ScreenBuffer` out; curses itself sends only the cells that changed.
final class CursesTerminal {
    let colors: Bool
    /// Clicks and the wheel reported (xterm's SGR mode); off for users who select text with the mouse.
    let mouse: Bool
    private(set) var isActive = false

    init(environment: [String: String] = ProcessInfo.processInfo.environment, mouse: Bool = true) {
        // no-color.org: present and not empty means no colour; bold and reverse stay.
        colors = (environment["NO_COLOR"] ?? "").isEmpty
        self.mouse = mouse
    }

    private static let mouseOn = "\u{1B}[?1000h\u{1B}[?1006h"
    private static let mouseOff = "\u{1B}[?1006l\u{1B}[?1000l"

    private func writeRaw(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Takes the terminal over. `wakeDescriptor` is the event loop's pipe, written by the
    /// SIGTERM and SIGHUP handlers.
    func start(wakeDescriptor: Int32) {
        sparkify_terminal_save()
        _ = sparkify_curses_setlocale()
        // Escape alone must not wait a second to be told apart from an arrow key's sequence.
        set_escdelay(25)
        initscr()
        isActive = true
        raw()  // Ctrl-C arrives as a key: it cancels work, it never kills the console.
        noecho()
        nonl()
        sparkify_keypad_nodelay()
        curs_set(0)
        if colors && has_colors() {
            start_color()
            use_default_colors()
            for color in Style.Look.Color.allCases {
                init_pair(color.rawValue, Self.cursesColor(color), -1)
            }
        }
        sparkify_install_handlers(wakeDescriptor)
        if mouse { writeRaw(Self.mouseOn) }
        // An exit() from anywhere still hands the terminal back.
        atexit { CursesTerminal.restoreAtExit() }
        CursesTerminal.active = self
    }

    /// Hands the terminal back: normal screen, cursor, line settings.
    func stop() {
        guard isActive else { return }
        isActive = false
        if mouse { writeRaw(Self.mouseOff) }
        curs_set(1)
        endwin()
        CursesTerminal.active = nil
    }

    nonisolated(unsafe) private static var active: CursesTerminal?
    private static func restoreAtExit() { active?.stop() }

    var size: (rows: Int, cols: Int) { (Int(sparkify_screen_rows()), Int(sparkify_screen_cols())) }

    /// Every key waiting, without blocking.
    func readKeys() -> [Key] {
        var read: [Key] = []
        var code: UInt32 = 0
        while true {
            let status = sparkify_get_wch(&code)
            if status == ERR { break }
            if let key = status == KEY_CODE_YES ? Self.functionKey(Int32(code)) : Self.characterKey(code) { read.append(key) }
        }
        return Self.combine(read)
    }

    /// Keys as curses gave them, with what arrives as several made one: a mouse report
    /// (`Esc [ < b;x;y M`, which curses does not know under most terminfo entries) and Alt-x
    /// (Esc and x in the same read: ESCDELAY keeps them together).
    static func combine(_ read: [Key]) -> [Key] {
        var keys: [Key] = []
        var index = 0
        while index < read.count {
            let key = read[index]
            if key == .escape, index + 2 < read.count, read[index + 1] == .char("["), read[index + 2] == .char("<") {
                var body = ""
                var end = index + 3
                while end < read.count, case .char(let c) = read[end], c.isNumber || c == ";" {
                    body.append(c)
                    end += 1
                }
                if end < read.count, case .char(let final) = read[end], final == "M" || final == "m" {
                    if let mouse = Mouse.parse(body, final: final) { keys.append(.mouse(mouse)) }
                    index = end + 1
                    continue
                }
            }
            if case .char(let c) = key, keys.last == .escape, index > 0, read[index - 1] == .escape {
                keys[keys.count - 1] = .alt(c)
            } else {
                keys.append(key)
            }
            index += 1
        }
        return keys
    }

    /// Copies a frame to the screen. `cursor` shows the text cursor (in the editor) or hides it.
    /// OSC 52: the terminal puts `text` on the system clipboard, even over SSH; tmux relays it
    /// when its set-clipboard option allows. Written straight to the terminal, between frames.
    func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        let bytes = Array(sequence.utf8)
        _ = bytes.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    func present(_ screen: ScreenBuffer, cursor: (row: Int, col: Int)?) {
        var scalars: [UInt32] = []
        for row in 0..<screen.rows {
            for col in 0..<screen.cols {
                let cell = screen[row, col]
                if cell.text.isEmpty { continue }  // the right half of a wide character
                scalars.removeAll(keepingCapacity: true)
                for scalar in cell.text.unicodeScalars { scalars.append(scalar.value) }
                let (attrs, pair) = attributes(for: cell.style)
                _ = scalars.withUnsafeBufferPointer {
                    sparkify_put_cell(Int32(row), Int32(col), $0.baseAddress, Int32($0.count), attrs, pair)
                }
            }
        }
        if let cursor {
            move(Int32(cursor.row), Int32(cursor.col))
            curs_set(1)
        } else {
            curs_set(0)
        }
        refresh()
    }

    private var attributeCache: [Style: (UInt32, Int16)] = [:]

    private func attributes(for style: Style) -> (UInt32, Int16) {
        if let known = attributeCache[style] { return known }
        let look = style.look(colors: colors)
        var attrs: UInt32 = 0
        if look.bold { attrs |= sparkify_attr_bold() }
        if look.dim { attrs |= sparkify_attr_dim() }
        if look.reverse { attrs |= sparkify_attr_reverse() }
        let pair = colors ? look.color?.rawValue ?? 0 : 0
        attributeCache[style] = (attrs, pair)
        return (attrs, pair)
    }

    private static func cursesColor(_ color: Style.Look.Color) -> Int16 {
        switch color {
        case .red: return Int16(COLOR_RED)
        case .green: return Int16(COLOR_GREEN)
        case .yellow: return Int16(COLOR_YELLOW)
        case .blue: return Int16(COLOR_BLUE)
        case .magenta: return Int16(COLOR_MAGENTA)
        case .cyan: return Int16(COLOR_CYAN)
        }
    }

    private static func characterKey(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(code + 96)!))
        default: return Unicode.Scalar(code).map { .char(Character($0)) }
        }
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
        default:
            // Ctrl with an arrow has no fixed code: ncurses makes one up per terminal and
            // names it after terminfo's extended capability (kLFT5 for Ctrl-Left).
            guard let name = keyname(code).map({ String(cString: $0) }) else { return nil }
            switch name {
            case "kLFT5": return .ctrlLeft
            case "kRIT5": return .ctrlRight
            case "kHOM5": return .ctrlHome
            case "kEND5": return .ctrlEnd
            default: return nil
            }
        }
    }
}
