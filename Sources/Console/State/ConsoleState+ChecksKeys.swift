import Warehouse

/// The validation report's keys and the suite picker's.
extension ConsoleState {
    mutating func openSuitePicker() {
        var choices: [SuiteChoices.Choice] = [.builtIn]
        if let generated = environment.generatedSuite { choices.append(.generated(path: generated)) }
        choices.append(.askForFile)
        overlay = .suites(SuiteChoices(choices: choices))
    }

    /// Nil for an action the picker leaves to the global keys.
    mutating func reduceInPicker(_ action: Action, _ moment: KeyMoment) -> [Effect]? {
        guard case .suites(var picker) = overlay else { return nil }
        switch action {
        case .moveUp: picker.selected = max(0, picker.selected - 1)
        case .moveDown: picker.selected = min(picker.choices.count - 1, picker.selected + 1)
        case .confirm:
            overlay = nil
            switch picker.choices[picker.selected] {
            case .builtIn: return runSuite(.builtIn, moment)
            case .generated(let path): return runSuite(.file(path), moment)
            case .askForFile:
                prompt = Prompt(.suiteFile, label: "suite file:", text: environment.workingDirectory + "/")
                return []
            }
        case .type, .help, .nextPane, .previousPane, .zoom, .cancel, .quit, .validate, .reconnect, .createCluster, .pauseCluster, .resumeCluster,
            .deleteCluster, .browseTable, .describeTable, .tableDefinition,
            .refreshCounts, .pageUp, .pageDown, .top, .bottom, .runStep, .runFromHere, .showSQL, .openRejects, .changeSource, .changeErrorLimit,
            .runStatement, .runAll, .newline, .cursorLeft, .cursorRight, .lineStart, .lineEnd, .wordLeft,
            .wordRight, .textStart, .textEnd, .deleteBack, .deleteForward, .deleteWord, .deleteToLineEnd,
            .deleteToLineStart, .undo, .redo, .historyPrevious, .historyNext, .saveSQL, .openSQL, .complete, .leaveEditor, .columnLeft, .columnRight,
            .firstColumn, .lastColumn, .openCell, .freeze, .search, .searchNext, .searchPrevious, .sort,
            .export, .copyCell, .copyRow, .previousResult, .nextResult, .pinResult, .chart, .filter, .showPlan, .showStar, .click, .scroll,
            .showChecks, .openCheck,
            .showRows,
            .rerunSuite,
            .close,
            .confirmQuit, .confirmRun, .stay:
            return nil
        }
        overlay = .suites(picker)
        return []
    }

    /// Starts a suite; its checks arrive with `.suiteLoaded` (a file is read by the session).
    mutating func runSuite(_ source: SuiteSource, _ moment: KeyMoment) -> [Effect] {
        guard !query.running else {
            query.outcome = .refused(.busy)
            return []
        }
        switch source {
        case .builtIn: result.validation = ValidationState(suite: DefaultSuite.suite)
        case .loaded(let suite): result.validation = ValidationState(suite: suite)
        case .file: break  // its checks arrive with `.suiteLoaded`
        }
        result.mode = .checks
        focus = .results
        query.running = true
        query.startedAt = moment.now
        query.outcome = nil
        switch source {
        case .builtIn: return [.runSuite(.loaded(DefaultSuite.suite))]
        case .file(let path): return [.runSuite(.file(environment.resolve(path)))]
        case .loaded: return [.runSuite(source)]
        }
    }

    /// Nil for an action the report leaves to the global keys.
    mutating func reduceInChecks(_ action: Action, _ moment: KeyMoment) -> [Effect]? {
        guard var validation = result.validation else { return nil }
        switch action {
        case .moveUp: validation.selected = max(0, validation.selected - 1)
        case .moveDown: validation.selected = min(validation.suite.checks.count - 1, validation.selected + 1)
        case .showRows:
            result.mode = .rows
            return []
        case .showChecks:
            result.mode = .checks
            return []
        case .rerunSuite: return runSuite(.loaded(validation.suite), moment)
        case .openCheck:
            // The check's query goes into the editor (Ctrl-Z brings the user's text back) and
            // runs, so its whole result is in the grid.
            guard !query.running else {
                query.outcome = .refused(.busy)
                return []
            }
            let check = validation.suite.checks[validation.selected]
            replaceEditorText(with: Self.checkText(check, suite: validation.suite))
            return runStatements(all: true, moment)
        case .chart:
            guard let checked = validation.results[validation.selected] else {
                result.notice = "the check has not run yet"
                return []
            }
            openChart(BarChart.make(columns: checked.columns, rows: checked.rows, title: "Chart: \(checked.check.name)"))
            return []
        case .type, .help, .nextPane, .previousPane, .zoom, .cancel, .quit, .validate, .reconnect, .createCluster, .pauseCluster, .resumeCluster,
            .deleteCluster, .browseTable, .describeTable, .tableDefinition,
            .refreshCounts, .pageUp, .pageDown, .top, .bottom, .runStep, .runFromHere, .showSQL, .openRejects, .changeSource, .changeErrorLimit,
            .runStatement, .runAll, .newline, .cursorLeft, .cursorRight, .lineStart, .lineEnd, .wordLeft,
            .wordRight, .textStart, .textEnd, .deleteBack, .deleteForward, .deleteWord, .deleteToLineEnd,
            .deleteToLineStart, .undo, .redo, .historyPrevious, .historyNext, .saveSQL, .openSQL, .complete, .leaveEditor, .columnLeft, .columnRight,
            .firstColumn, .lastColumn, .openCell, .freeze, .search, .searchNext, .searchPrevious, .sort,
            .export, .copyCell, .copyRow, .previousResult, .nextResult, .pinResult, .filter, .showPlan, .showStar, .click, .scroll, .close, .confirm,
            .confirmQuit,
            .confirmRun,
            .stay:
            return nil
        }
        let listHeight = ChecksView.listRows(in: layout.panes[.results] ?? Rect(row: 0, col: 0, height: 8, width: 40))
        if validation.selected < validation.top { validation.top = validation.selected }
        if validation.selected >= validation.top + listHeight { validation.top = validation.selected - listHeight + 1 }
        result.validation = validation
        return []
    }

    /// A check as the editor shows it: where it comes from and what it expects, as comments
    /// (the suite's own notation), then its query.
    static func checkText(_ check: ValidationSuite.Check, suite: ValidationSuite) -> String {
        var lines = ["-- check: \(check.name)  (\(suite.path):\(check.line))"]
        switch check.expectation {
        case .none: break
        case .value(let value): lines.append("-- expect: \(value)")
        case .rows(let rows, let ordered):
            lines.append(ordered ? "-- expect rows:" : "-- expect set:")
            lines += rows.map { "-- " + $0.joined(separator: " | ") }
        }
        if let tolerance = check.tolerance { lines.append("-- tolerance: \(tolerance)") }
        return (lines + [check.sql]).joined(separator: "\n")
    }
}
