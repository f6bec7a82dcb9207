import CNCursesW
import Foundation
import PostgresClient
import Warehouse

/// The console's loop, on one thread: read keys → reduce them into state and effects → perform
/// the effects → apply the engine's events → draw. It sleeps in poll() on the keyboard and the
/// event pipe, so it answers a key at once whatever the database is doing, and wakes ten times
/// a second only while something runs (for timers). Key behaviour lives in `ConsoleState`.
public final class ConsoleApp {
    private var state: ConsoleState
    private let session: ConsoleSession
    private let events = EventQueue<SessionEvent>()
    private let terminal: CursesTerminal
    private var screen = ScreenBuffer(rows: 0, cols: 0)
    /// Timings for the benchmark (`SPARKIFY_TRACE`), nil otherwise.
    private let trace = ConsoleTrace.fromEnvironment()

    /// `kind` names the target for the panes; `settings`, when known before connecting, are shown
    /// while connecting. `rowCap` is the most rows the grid keeps of one result; `historyPath`
    /// where statements run are kept (nil: the default place, `$XDG_STATE_HOME/sparkify/history`);
    /// `mouse` false leaves clicks to the terminal (for selecting text).
    public init(
        version: String, setup: LoadSetup, kind: TargetKind, settings: ConnectionSettings?,
        rowCap: Int = 1_000_000, historyPath: String? = nil, mouse: Bool = true
    ) {
        terminal = CursesTerminal(mouse: mouse)
        let historyPath = historyPath ?? QueryHistory.defaultPath()
        // Every secret the configuration holds is masked in the history, not only the password.
        let secrets = QueryHistory.configuredSecrets(settings: settings, config: setup.config)
        let history = QueryHistory(path: historyPath, known: secrets)
        let cluster = ClusterStatus(
            kind: kind, settings: settings, nodeType: setup.config?.nodeType,
            configuredNodes: setup.config?.nodeCount)
        let environment = ProcessInfo.processInfo.environment
        let console = ConsoleEnvironment(
            workingDirectory: FileManager.default.currentDirectoryPath,
            home: environment["HOME"] ?? NSHomeDirectory(),
            generatedSuite: setup.generatedSuite,
            source: setup.sourceDescription)
        var facts = console
        facts.inTmux = !(environment["TMUX"] ?? "").isEmpty
        state = ConsoleState(version: version, cluster: cluster, history: history, environment: facts)
        // The text the editor held when the console last closed.
        if let kept = history.keptEditorText() {
            state.query.editor.replaceAll(with: kept)
            state.query.editor.moveToStart()
        }
        state.loadSource = setup.source
        state.maxErrors = setup.maxErrors
        // Said on stderr too, but the console's screen covers that at once.
        for warning in setup.choice.warnings { state.append(.warning, warning) }
        // The cluster's life, when dwh.cfg's [DWH] names a cluster and keys are at hand.
        var lifecycle: ClusterLifecycle?
        if kind != .rehearsal, let config = setup.config, let spec = try? ClusterSpec.read(path: config.path),
            let credentials = try? AWSCredentials.resolve(config: config)
        {
            lifecycle = ClusterLifecycle(spec: spec, credentials: credentials)
            state.cluster.life = ClusterLife(identifier: spec.identifier, region: spec.region, priceOverride: spec.hourlyPriceOverride)
        }
        session = ConsoleSession(setup: setup, events: events, rowCap: rowCap, history: history, lifecycle: lifecycle)
    }

    /// Runs until the user quits; returns the exit status (128 + the signal after SIGTERM/SIGHUP).
    public func run() -> Int32 {
        terminal.start(wakeDescriptor: events.writeDescriptor)
        defer { terminal.stop() }
        perform([.connect])
        while !state.quitting {
            draw()
            waitForInput(timeout: state.isBusy ? 100 : 1000)
            let signal = sparkify_pending_signal()
            if signal != 0 {
                // Hang-up or terminate: stop the server's work too, then hand the terminal back.
                perform([.cancelSteps, .cancelQuery, .cancelExport])
                return 128 + signal
            }
            let readAt = Clock.now
            let keys = terminal.readKeys()
            if !keys.isEmpty { trace?.keysRead(at: readAt) }
            // Many keys in one read is a paste, not typing: its lines keep their own indentation.
            let moment = KeyMoment(now: readAt, wallClock: Clock.wall, pasting: keys.count > 8)
            let size = terminal.size
            state.size = ScreenSize(rows: size.rows, cols: size.cols)
            for key in keys {
                guard let action = Keymap.action(for: key, in: state.scope) else { continue }
                perform(state.reduce(action, moment))
            }
            let now = Clock.now
            for event in events.drain() {
                perform(state.apply(event, now: now))
                trace?.saw(event, state: state)
            }
            perform(state.tick(now: now))  // draw() settles the grid and editor for the screen next
        }
        return 0
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            if case .runStatements = effect { trace?.querySent(at: Clock.now) }
            if case .copyToClipboard(let text) = effect {
                terminal.copyToClipboard(text)  // the terminal's, not the session's
                continue
            }
            session.perform(effect)
        }
    }

    private func draw() {
        let size = terminal.size
        if size.rows != screen.rows || size.cols != screen.cols { screen = ScreenBuffer(rows: size.rows, cols: size.cols) }
        state.size = ScreenSize(rows: size.rows, cols: size.cols)
        state.settle()
        let cursor = ConsoleView.render(state, into: screen, now: Clock.now)
        terminal.present(screen, cursor: cursor)
        trace?.framePresented(state: state, at: Clock.now)
    }

    private func waitForInput(timeout: Int32) {
        var descriptors = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: events.readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
    }
}
