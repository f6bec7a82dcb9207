import Foundation
import XCTest

@testable import Console
@testable import PostgresClient
@testable import Warehouse

/// A row of text cells for filling a `ResultRows` store in tests.
struct TextRow: CellRow {
    var cells: [[UInt8]?]
    init(_ values: [String?]) { cells = values.map { $0.map { Array($0.utf8) } } }
    var count: Int { cells.count }
    func isNull(_ column: Int) -> Bool { cells[column] == nil }
    func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        cells[column]!.withUnsafeBufferPointer { UnsafeBufferPointer(start: $0.baseAddress, count: $0.count) }
    }
}

/// Console states to reduce keys on: connected, sized, with a result or a report when asked.
enum Fixture {
    static let moment = KeyMoment(now: 100, wallClock: 1_764_460_800)

    /// Names like the warehouse's, as the monitor reads them.
    static let catalog = SchemaCatalog(
        relations: [
            .init(schema: "analytics", name: "users", columns: [.init(name: "user_id", type: "integer"), .init(name: "level", type: "text")]),
            .init(
                schema: "analytics", name: "songplays",
                columns: [.init(name: "songplay_id", type: "bigint"), .init(name: "session_id", type: "integer")]),
            .init(schema: "analytics", name: "songs", columns: [.init(name: "song_id", type: "text")]),
        ],
        functions: ["count"], searchPath: ["analytics", "staging", "public"])

    static func connected(size: ScreenSize = ScreenSize(rows: 36, cols: 120)) -> ConsoleState {
        let settings = ConnectionSettings(host: "/tmp/sparkify/run", port: 5432, database: "sparkify", user: "sparkify", password: nil)
        var state = ConsoleState(
            version: "9", cluster: ClusterStatus(kind: .embedded, settings: settings),
            environment: ConsoleEnvironment(
                workingDirectory: "/work", home: "/home/analyst",
                generatedSuite: "/data/expected.sql"))
        state.size = size
        _ = state.apply(
            .connected(
                ServerInfo(engine: .postgres, versionText: "PostgreSQL 15.18", versionNumber: 150018, sslInUse: false),
                settings), now: 0)
        _ = state.apply(.runnerReady(LoadPlan(dialect: PostgresDialect()), generatedSuite: "/data/expected.sql"), now: 0)
        return state
    }

    static let columns = [Column(name: "song_id", typeOID: 25), Column(name: "title", typeOID: 25), Column(name: "year", typeOID: 23)]

    /// A finished result of `rows` rows, focused in the grid.
    static func withResult(rows count: Int = 100, capped: Bool = false) -> (ConsoleState, ResultRows) {
        var state = connected()
        state.focus = .results
        state.query.statements = [(0..<20, "select * from songs")]
        let rows = ResultRows(columns: columns)
        _ = state.apply(.resultStarted(rows), now: 0)
        for index in 0..<count { rows.append(TextRow(["SO\(index)", "Song \(count - index)", String(1990 + index % 30)])) }
        rows.finish()
        _ = state.apply(.statementFinished(index: 0, rows: count, commandTag: "SELECT \(count)", elapsed: 0.01, capped: capped), now: 0)
        state.settle()
        return (state, rows)
    }

    /// A run of `statements`, each answering one row with its own number, as the session reports it.
    static func run(_ statements: [String], on state: inout ConsoleState) {
        state.query.statements = statements.enumerated().map { (($0.offset * 10)..<($0.offset * 10 + 8), $0.element) }
        state.query.running = true
        for (index, _) in statements.enumerated() {
            _ = state.apply(.statementStarted(index: index), now: 0)
            let rows = ResultRows(columns: [Column(name: "n", typeOID: 23)])
            _ = state.apply(.resultStarted(rows), now: 0)
            rows.append(TextRow([String(index + 1)]))
            rows.finish()
            _ = state.apply(.statementFinished(index: index, rows: 1, commandTag: "SELECT 1", elapsed: 0.01, capped: false), now: 0)
        }
        _ = state.apply(.statementsEnded(elapsed: 0.02), now: 0)
        state.settle()
    }

    /// A Redshift target whose cluster is in `status` (nil: there is none), the Cluster pane focused.
    static func withLife(_ status: String?) -> ConsoleState {
        var state = connected()
        state.focus = .cluster
        state.cluster.life = ClusterLife(identifier: "dwhcluster", region: "us-west-2", priceOverride: nil)
        let description =
            status.map { status in
                XMLNode.parse(
                    Array(
                        "<Cluster><ClusterIdentifier>dwhcluster</ClusterIdentifier><ClusterStatus>\(status)</ClusterStatus><NodeType>ra3.xlplus</NodeType><NumberOfNodes>2</NumberOfNodes></Cluster>"
                            .utf8)
                )
                .flatMap(ClusterDescription.init)
            } ?? nil
        _ = state.apply(.clusterDescribed(description, cost: description == nil ? nil : ClusterCost(hourly: 2.172, soFar: 10)), now: 100)
        return state
    }

    /// The default suite's report, finished, in the results pane.
    static func withReport() -> ConsoleState {
        var state = connected()
        state.focus = .results
        _ = state.apply(.suiteLoaded(DefaultSuite.suite), now: 0)
        _ = state.apply(.suiteEnded(cancelled: false), now: 0)
        return state
    }
}

/// An effect's name, for asserting which effects a key asked for.
func names(_ effects: [Effect]) -> [String] {
    effects.map { effect in
        switch effect {
        case .connect: return "connect"
        case .reconnect: return "reconnect"
        case .ping: return "ping"
        case .refreshCounts: return "refreshCounts"
        case .runSteps: return "runSteps"
        case .cancelSteps: return "cancelSteps"
        case .runStatements: return "runStatements"
        case .cancelQuery: return "cancelQuery"
        case .appendHistory: return "appendHistory"
        case .keepEditorText: return "keepEditorText"
        case .runSuite: return "runSuite"
        case .sort: return "sort"
        case .find: return "find"
        case .filter: return "filter"
        case .export: return "export"
        case .cancelExport: return "cancelExport"
        case .configureLoad: return "configureLoad"
        case .describeCluster: return "describeCluster"
        case .copyToClipboard: return "copyToClipboard"
        case .saveSQL: return "saveSQL"
        case .openSQL: return "openSQL"
        case .clusterAction: return "clusterAction"
        }
    }
}

extension ConsoleState {
    /// Presses `key` as the loop does: the key table names the action, the state reduces it.
    mutating func press(_ key: Key, _ moment: KeyMoment = Fixture.moment) -> [Effect] {
        guard let action = Keymap.action(for: key, in: scope) else { return [] }
        let effects = reduce(action, moment)
        settle()
        return effects
    }

    mutating func type(_ text: String) {
        for character in text { _ = press(.char(character)) }
    }
}
