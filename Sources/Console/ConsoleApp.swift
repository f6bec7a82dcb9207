import CNCursesW
import Foundation
import Warehouse

/// The console: one thread that reads keys, applies engine events and draws. It sleeps in
/// poll() on the keyboard and the event pipe, so it answers a key at once whatever the
/// database is doing, and wakes ten times a second only while something runs (for timers).
public final class ConsoleApp {
    var state: ConsoleState
    let session: ConsoleSession
    private let events = EventQueue<SessionEvent>()
    private let terminal = CursesTerminal()
    var screen = ScreenBuffer(rows: 0, cols: 0)
    private var lastPing = 0.0
    /// Set while the keys of one read are handled, when there are so many they were pasted.
    var pasting = false
    /// Timings for the benchmark (`SPARKIFY_TRACE`), nil otherwise.
    let trace = ConsoleTrace.fromEnvironment()

    /// `kind` names the target for the panes ("embedded", "PostgreSQL", "Redshift");
    /// `settings`, when known before connecting, are shown while connecting. `rowCap` is the
    /// most rows the grid keeps of one result; `historyPath` where statements run are kept.
    public init(version: String, setup: LoadSetup, kind: String, settings: ConnectionSettings?,
                rowCap: Int = 1_000_000, historyPath: String? = QueryHistory.defaultPath()) {
        let history = QueryHistory(path: historyPath, known: [settings?.password].compactMap { $0 })
        let cluster = ClusterStatus(kind: kind, settings: settings, nodeType: setup.config?.nodeType,
                                    configuredNodes: setup.config?.nodeCount)
        state = ConsoleState(version: version, cluster: cluster, history: history)
        session = ConsoleSession(setup: setup, events: events, rowCap: rowCap)
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
            let readAt = Clock.now
            let keys = terminal.readKeys()
            if !keys.isEmpty { trace?.keysRead(at: readAt) }
            // Many keys in one read is a paste, not typing: its lines keep their own indentation.
            pasting = keys.count > 8
            for key in keys { handle(key) }
            pasting = false
            let now = Clock.now
            for event in events.drain() {
                state.apply(event, now: now)
                trace?.saw(event, state: state)
            }
            state.settle(rows: screen.rows, cols: screen.cols)
            if case .connected = state.cluster.state, now - lastPing >= 2 {
                lastPing = now
                session.ping()
            }
        }
        return status
    }

    private var isBusy: Bool {
        state.running || state.query.running || state.demo != nil || state.result.busy != nil
            || state.result.export?.finished == false
    }

    private func draw() {
        let size = terminal.size
        if size.rows != screen.rows || size.cols != screen.cols { screen = ScreenBuffer(rows: size.rows, cols: size.cols) }
        let cursor = ConsoleView.render(state, into: screen, now: Clock.now)
        terminal.present(screen, cursor: cursor)
        trace?.framePresented(state: state, at: Clock.now)
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
            perform(action, key: key)
        } else if Keymap.takesText(scope), let character = key.typedCharacter {
            if scope == .prompt {
                state.prompt?.type(character)
            } else {
                state.query.editor.type(character)
                editorChanged()
            }
        }
    }

    private func perform(_ action: Action, key: Key) {
        switch state.scope {
        case .query: if performInEditor(action) { return }
        case .results: if performInGrid(action, key: key) { return }
        case .checks: if performInChecks(action) { return }
        case .prompt: if performInPrompt(action) { return }
        case .picker: if performInPicker(action) { return }
        default: break
        }
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
            session.cancelExport()
            state.quitting = true
        case .reconnect:
            state.cluster.state = .connecting("reconnecting")
            state.append(.info, "reconnecting")
            session.reconnect()
        case .refreshCounts:
            state.countsKnown = false
            session.refreshCounts()
        case .validate: openSuitePicker()
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
        default: break
        }
    }

    private var page: Int { max(1, screen.rows / 2) }

    private func move(by delta: Int) {
        func clamped(_ value: Int, _ upper: Int) -> Int { max(0, min(value, max(0, upper))) }
        switch state.overlay {
        case .help(let scroll):
            state.overlay = .help(scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, HelpScreen.lines.count - (screen.rows - 4)))
        case .text(let title, let lines, let scroll):
            let shown = SQLView.wrapped(lines, width: screen.cols - 7).count
            state.overlay = .text(title: title, lines: lines, scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, shown - (screen.rows - 4)))
        case .confirmQuit, .suites:
            break
        case nil:
            if state.focus == .runner {
                state.selectedStep = clamped(state.selectedStep + max(-100, min(100, delta)), state.steps.count - 1)
            }
        }
    }

    private func cancel() {
        let queryFirst = state.focus == .query || state.focus == .results
        if state.result.export?.finished == false, state.focus == .results || !state.query.running {
            session.cancelExport()
            state.result.busy = nil
        } else if queryFirst && state.query.running, session.cancelQuery() {
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
        state.overlay = .text(title: "SQL: \(step)", lines: lines, scroll: 0)
    }

    private func openRejects() {
        state.focus = .query
        state.query.editor.replaceAll(with: "SELECT target_table, file, line, reason, raw_record\nFROM staging.load_errors\nORDER BY loaded_at DESC, file, line;")
        runStatements(all: true)
    }
}
