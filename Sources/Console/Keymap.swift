/// Everything a key can do in the console.
public enum Action: Hashable, Sendable {
    case help, nextPane, previousPane, zoom, cancel, quit
    case reconnect, refreshCounts
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case runStep, runFromHere, showSQL, openRejects
    case runQuery, cursorLeft, cursorRight, lineStart, lineEnd, deleteBack, deleteForward, clearLine
    case close, confirmQuit, stay
}

/// Where a binding applies: everywhere, in one pane, or in an overlay.
public enum Scope: String, Sendable, CaseIterable {
    case everywhere = "Everywhere"
    case cluster = "Cluster"
    case tables = "Tables"
    case runner = "ETL runner"
    case query = "Query"
    case sqlView = "Step SQL"
    case help = "Help"
    case confirm = "Quit?"
}

/// One line of the key table: the keys, what they do, and the short label for the status line
/// (nil keeps a binding out of the status line, where space is scarce).
public struct Binding: Sendable {
    public var keys: [Key]
    public var scope: Scope
    public var action: Action
    public var summary: String
    public var status: String?
}

/// The one table where every key is declared. Dispatch, the status line and the help screen
/// all read it, so a key cannot work without being listed or be listed without working.
public enum Keymap {
    public static let bindings: [Binding] = [
        Binding(keys: [.function(1), .char("?")], scope: .everywhere, action: .help, summary: "Help: every key", status: "help"),
        Binding(keys: [.char("q"), .function(10)], scope: .everywhere, action: .quit, summary: "Quit (asks first if work is running)", status: "quit"),
        Binding(keys: [.tab], scope: .everywhere, action: .nextPane, summary: "Next pane", status: "pane"),
        Binding(keys: [.backTab], scope: .everywhere, action: .previousPane, summary: "Previous pane", status: nil),
        Binding(keys: [.function(2)], scope: .everywhere, action: .zoom, summary: "Zoom the pane to the whole screen, and back", status: "zoom"),
        Binding(keys: [.ctrl("c")], scope: .everywhere, action: .cancel, summary: "Cancel the running step or query on the server", status: "cancel"),

        Binding(keys: [.char("c")], scope: .cluster, action: .reconnect, summary: "Reconnect to the warehouse", status: "reconnect"),
        Binding(keys: [.char("r")], scope: .tables, action: .refreshCounts, summary: "Refresh the row counts", status: "refresh"),

        Binding(keys: [.up, .char("k")], scope: .runner, action: .moveUp, summary: "Select the step above", status: nil),
        Binding(keys: [.down, .char("j")], scope: .runner, action: .moveDown, summary: "Select the step below", status: nil),
        Binding(keys: [.enter], scope: .runner, action: .runStep, summary: "Run the selected step", status: "run"),
        Binding(keys: [.char("a")], scope: .runner, action: .runFromHere, summary: "Run the selected step and every step after it", status: "run from here"),
        Binding(keys: [.char("s")], scope: .runner, action: .showSQL, summary: "Show the selected step's SQL", status: "SQL"),
        Binding(keys: [.char("e")], scope: .runner, action: .openRejects, summary: "Open the rejected records (staging.load_errors)", status: "rejects"),
        Binding(keys: [.char("r")], scope: .runner, action: .refreshCounts, summary: "Refresh the row counts", status: nil),

        Binding(keys: [.enter], scope: .query, action: .runQuery, summary: "Run the query", status: "run"),
        Binding(keys: [.left], scope: .query, action: .cursorLeft, summary: "Move the cursor left", status: nil),
        Binding(keys: [.right], scope: .query, action: .cursorRight, summary: "Move the cursor right", status: nil),
        Binding(keys: [.home, .ctrl("a")], scope: .query, action: .lineStart, summary: "Start of the line", status: nil),
        Binding(keys: [.end, .ctrl("e")], scope: .query, action: .lineEnd, summary: "End of the line", status: nil),
        Binding(keys: [.backspace], scope: .query, action: .deleteBack, summary: "Delete the character before the cursor", status: nil),
        Binding(keys: [.delete], scope: .query, action: .deleteForward, summary: "Delete the character under the cursor", status: nil),
        Binding(keys: [.ctrl("u")], scope: .query, action: .clearLine, summary: "Clear the line", status: "clear"),
        Binding(keys: [.up], scope: .query, action: .moveUp, summary: "Scroll the result up", status: nil),
        Binding(keys: [.down], scope: .query, action: .moveDown, summary: "Scroll the result down", status: nil),
        Binding(keys: [.pageUp], scope: .query, action: .pageUp, summary: "Scroll the result a page up", status: nil),
        Binding(keys: [.pageDown], scope: .query, action: .pageDown, summary: "Scroll the result a page down", status: "page"),

        Binding(keys: [.up, .char("k")], scope: .sqlView, action: .moveUp, summary: "Scroll up", status: nil),
        Binding(keys: [.down, .char("j")], scope: .sqlView, action: .moveDown, summary: "Scroll down", status: "scroll"),
        Binding(keys: [.pageUp], scope: .sqlView, action: .pageUp, summary: "Page up", status: nil),
        Binding(keys: [.pageDown, .char(" ")], scope: .sqlView, action: .pageDown, summary: "Page down", status: nil),
        Binding(keys: [.home, .char("g")], scope: .sqlView, action: .top, summary: "Top", status: nil),
        Binding(keys: [.end, .char("G")], scope: .sqlView, action: .bottom, summary: "Bottom", status: nil),
        Binding(keys: [.escape, .char("q")], scope: .sqlView, action: .close, summary: "Close", status: "close"),

        Binding(keys: [.up, .char("k")], scope: .help, action: .moveUp, summary: "Scroll up", status: nil),
        Binding(keys: [.down, .char("j")], scope: .help, action: .moveDown, summary: "Scroll down", status: "scroll"),
        Binding(keys: [.escape, .char("q"), .function(1), .char("?")], scope: .help, action: .close, summary: "Close the help", status: "close"),

        Binding(keys: [.char("y")], scope: .confirm, action: .confirmQuit, summary: "Quit: running work is cancelled and rolled back", status: "quit"),
        Binding(keys: [.char("n"), .escape], scope: .confirm, action: .stay, summary: "Stay", status: "stay"),
    ]

    /// The action for a key in a scope. In a scope that takes text (the query editor), a
    /// printable character types itself rather than triggering a global one-letter command.
    public static func action(for key: Key, in scope: Scope) -> Action? {
        if let local = bindings.first(where: { $0.scope == scope && $0.keys.contains(key) }) { return local.action }
        // Overlays are modal: only their own keys (and Ctrl-C, which must always reach the server).
        if scope == .sqlView || scope == .help || scope == .confirm {
            return key == .ctrl("c") ? .cancel : nil
        }
        if takesText(scope), key.typedCharacter != nil { return nil }
        return bindings.first(where: { $0.scope == .everywhere && $0.keys.contains(key) })?.action
    }

    public static func takesText(_ scope: Scope) -> Bool { scope == .query }

    /// The keys to show at the bottom of the screen for a scope: its own first, then the global ones.
    public static func statusEntries(for scope: Scope) -> [(keys: String, label: String)] {
        var scopes = [scope]
        if scope != .help && scope != .confirm && scope != .sqlView { scopes.append(.everywhere) }
        return scopes.flatMap { current in
            bindings.filter { $0.scope == current && $0.status != nil }.compactMap { binding in
                // In the editor, a letter key would type; only keys that still work are shown.
                let keys = binding.keys.filter { !(takesText(scope) && current == .everywhere && $0.typedCharacter != nil) }
                guard let first = keys.first else { return nil }
                return (first.description, binding.status!)
            }
        }
    }
}
