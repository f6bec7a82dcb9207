import CNCursesW
import Foundation
import Warehouse

/// The console: one thread that reads keys, applies engine events and draws. It sleeps in
/// poll() on the keyboard and the event pipe, so it answers a key at once whatever the
/// database is doing, and wakes ten times a second only while something runs (for timers).
public final class ConsoleApp {
    private var state: ConsoleState
    private let session: ConsoleSession
    private let events = EventQueue<SessionEvent>()
    private let terminal = CursesTerminal()
    private var screen = ScreenBuffer(rows: 0, cols: 0)
    private var lastPing = 0.0

    /// `kind` names the target for the panes ("embedded", "PostgreSQL", "Redshift");
    /// `settings`, when known before connecting, are shown while connecting.
    public init(version: String, setup: LoadSetup, kind: String, settings: ConnectionSettings?) {
        state = ConsoleState(version: version, cluster: ClusterStatus(kind: kind, settings: settings))
        session = ConsoleSession(setup: setup, events: events)
    }

    /// Runs until the user quits; returns the exit status (128 + the signal after SIGTERM/SIGHUP).
    public func run() -> Int32 {
        terminal.start(wakeDescriptor: events.writeDescriptor)
        defer { terminal.stop() }
        session.connect()
        var status: Int32 = 0
        while !state.quitting {
            draw()
            waitForInput(timeout: isBusy ? 100 : 1000)
            let signal = sparkify_pending_signal()
            if signal != 0 {
                // Hang-up or terminate: stop the server's work too, then hand the terminal back.
                session.cancelSteps()
                session.cancelQuery()
                status = 128 + signal
                break
            }
            for key in terminal.readKeys() { handle(key) }
            let now = Clock.now
            for event in events.drain() { state.apply(event, now: now) }
            if case .connected = state.cluster.state, now - lastPing >= 2 {
                lastPing = now
                session.ping()
            }
        }
        return status
    }

    private var isBusy: Bool { state.running || state.query.running || state.demo != nil }

    private func draw() {
        let size = terminal.size
        if size.rows != screen.rows || size.cols != screen.cols { screen = ScreenBuffer(rows: size.rows, cols: size.cols) }
        let cursor = ConsoleView.render(state, into: screen, now: Clock.now)
        terminal.present(screen, cursor: cursor)
    }

    private func waitForInput(timeout: Int32) {
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: events.readDescriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
    }

    // MARK: - Keys

    func handle(_ key: Key) {
        let scope = state.scope
        if let action = Keymap.action(for: key, in: scope) {
            perform(action)
        } else if Keymap.takesText(scope), let character = key.typedCharacter {
            state.query.text.insert(character, at: state.query.cursor)
            state.query.cursor += 1
            state.query.errorOffset = nil
        }
    }

    private func perform(_ action: Action) {
        switch action {
        case .help: state.overlay = .help(scroll: 0)
        case .close, .stay: state.overlay = nil
        case .nextPane: state.focus = Pane(rawValue: (state.focus.rawValue + 1) % Pane.allCases.count)!
        case .previousPane: state.focus = Pane(rawValue: (state.focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count)!
        case .zoom: state.zoomed.toggle()
        case .cancel: cancel()
        case .quit:
            if let work = state.workInFlight { state.overlay = .confirmQuit(work) } else { state.quitting = true }
        case .confirmQuit:
            session.cancelSteps()
            session.cancelQuery()
            state.quitting = true
        case .reconnect:
            state.cluster.state = .connecting("reconnecting")
            state.append(.info, "reconnecting")
            session.reconnect()
        case .refreshCounts:
            state.countsKnown = false
            session.refreshCounts()
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -page)
        case .pageDown: move(by: page)
        case .top: move(by: Int.min / 2)
        case .bottom: move(by: Int.max / 2)
        case .runStep: run(from: state.selectedStep, all: false)
        case .runFromHere: run(from: state.selectedStep, all: true)
        case .showSQL: showSQL()
        case .openRejects: openRejects()
        case .runQuery: runQuery()
        case .cursorLeft: state.query.cursor = max(0, state.query.cursor - 1)
        case .cursorRight: state.query.cursor = min(state.query.text.count, state.query.cursor + 1)
        case .lineStart: state.query.cursor = 0
        case .lineEnd: state.query.cursor = state.query.text.count
        case .deleteBack:
            guard state.query.cursor > 0 else { return }
            state.query.cursor -= 1
            state.query.text.remove(at: state.query.cursor)
            state.query.errorOffset = nil
        case .deleteForward:
            guard state.query.cursor < state.query.text.count else { return }
            state.query.text.remove(at: state.query.cursor)
            state.query.errorOffset = nil
        case .clearLine:
            state.query.text = []
            state.query.cursor = 0
            state.query.errorOffset = nil
        }
    }

    private var page: Int { max(1, screen.rows / 2) }

    private func move(by delta: Int) {
        func clamped(_ value: Int, _ upper: Int) -> Int { max(0, min(value, max(0, upper))) }
        switch state.overlay {
        case .help(let scroll):
            state.overlay = .help(scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, HelpScreen.lines.count - (screen.rows - 4)))
        case .sql(let title, let lines, let scroll):
            let shown = SQLView.wrapped(lines, width: screen.cols - 7).count
            state.overlay = .sql(title: title, lines: lines, scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, shown - (screen.rows - 4)))
        case .confirmQuit:
            break
        case nil:
            if state.focus == .runner {
                state.selectedStep = clamped(state.selectedStep + max(-100, min(100, delta)), state.steps.count - 1)
            } else if state.focus == .query {
                state.query.scroll = clamped(state.query.scroll.addingReportingOverflow(delta).partialValue, state.query.rows.count - 1)
            }
        }
    }

    private func cancel() {
        let queryFirst = state.focus == .query
        if queryFirst && state.query.running, session.cancelQuery() {
            state.query.message = "cancelling on the server…"
        } else if state.running, session.cancelSteps() {
            let running = state.steps.first { $0.state == .running }?.step.description ?? "the load"
            state.append(.warning, "cancelling \(running) on the server…")
        } else if state.query.running, session.cancelQuery() {
            state.query.message = "cancelling on the server…"
        } else {
            state.append(.info, "nothing is running to cancel (q quits)")
        }
    }

    private func run(from index: Int, all: Bool) {
        guard !state.running else {
            state.append(.warning, "a step is running: wait for it, or Ctrl-C to cancel it")
            return
        }
        let steps = all ? Array(state.steps[index...].map(\.step)) : [state.steps[index].step]
        for offset in index..<(index + steps.count) { state.steps[offset].state = .waiting }
        state.running = true
        session.run(steps)
    }

    private func showSQL() {
        let step = state.steps[state.selectedStep].step
        guard let plan = state.plan else {
            state.append(.info, "the SQL is ready once the warehouse is connected")
            return
        }
        var lines = ["-- \(step): one transaction", "BEGIN;"]
        if step.phase == .copy, state.cluster.server?.engine != .redshift {
            lines.append("-- rows: each line of the source's .json files, checked and sent by sparkify;")
            lines.append("-- bad records go to staging.load_errors, loaded files to staging.load_manifest")
        }
        for statement in plan.statements(for: step) { lines += statement.components(separatedBy: "\n") }
        lines.append("COMMIT;")
        state.overlay = .sql(title: "SQL: \(step)", lines: lines, scroll: 0)
    }

    private func openRejects() {
        state.focus = .query
        state.query.text = Array("SELECT target_table, file, line, reason, raw_record FROM staging.load_errors ORDER BY loaded_at DESC, file, line")
        state.query.cursor = state.query.text.count
        runQuery()
    }

    private func runQuery() {
        // Sent as typed, so the server's error position matches the editor's characters.
        let sql = String(state.query.text)
        guard !sql.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        guard !state.query.running else {
            state.query.message = "a query is running: Ctrl-C cancels it"
            return
        }
        state.query.running = true
        state.query.startedAt = Clock.now
        state.query.message = nil
        state.query.failed = false
        state.query.errorOffset = nil
        state.query.columns = []
        state.query.rows = []
        state.query.scroll = 0
        session.runQuery(sql)
    }
}
