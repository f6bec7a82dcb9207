import Foundation
import Warehouse

/// Where the console is connected and how well: target kind, address, database, user, server
/// version, SSL, connection state and round-trip latency. Never the password: the status it
/// draws from has no place for one.
enum ClusterPane {
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, _ cluster: ClusterStatus, focused: Bool, now: Double = 0) {
        Frame.draw(screen, rect, title: Pane.cluster.title, focused: focused)
        let inner = rect.inner
        let labelWidth = 9
        let valueWidth = max(0, inner.width - labelWidth - 1)
        var row = inner.row
        func line(_ label: String, _ value: String, _ style: Style = .normal, _ path: Bool = false) {
            guard row < inner.row + inner.height else { return }
            screen.put(label, row: row, col: inner.col + 1, style: .dim, clip: inner)
            let shown = path ? TextFit.tail(value, valueWidth) : TextFit.truncate(value, valueWidth)
            screen.put(shown, row: row, col: inner.col + 1 + labelWidth, style: style, clip: inner)
            row += 1
        }
        line("target", cluster.kind.title, .heading)
        line("host", cluster.place, .normal, true)
        line("port", cluster.port)
        let nodes = cluster.nodesText
        if nodes == nil {
            line("database", cluster.database)
            line("user", cluster.user)
        } else {
            // Eight lines fit: a cluster's shape takes the line that database and user share.
            line("login", "\(cluster.user) @ \(cluster.database)")
        }
        line("server", cluster.server?.shortVersion ?? "—")
        line("SSL", cluster.server.map { $0.sslInUse ? "on" : "off" } ?? "—")
        if let nodes { line("nodes", nodes) }
        switch cluster.state {
        case .connecting(let what):
            line("state", "◌ connecting: \(what)", .running)
        case .connected:
            let latency = cluster.latency.map { " " + Self.latency($0) } ?? ""
            line("state", "● connected" + latency, .good)
        case .lost:
            line("state", "✕ lost: press c", .bad)
        }
        if let life = cluster.life { drawLife(life, now: now, line: line) }
    }

    /// A Redshift cluster's life: its state as AWS tells it, and what it costs, ticking; a
    /// reminder when nothing has used it for a while.
    private static func drawLife(_ life: ClusterLife, now: Double, line: (String, String, Style, Bool) -> Void) {
        guard life.looked || life.busy != nil else {
            line("cluster", "\(life.identifier): looking…", .dim, false)
            return
        }
        guard let described = life.description else {
            line(
                "cluster", life.busy.map { "\(life.identifier): \($0)…" } ?? "no \(life.identifier): n creates it",
                life.busy == nil ? .dim : .running, false)
            return
        }
        var state = life.busy.map { "\($0)…" } ?? described.status
        // A state AWS told a while ago says how old it is.
        let age = now - life.describedAt
        if life.lookProblem != nil || age > 120 { state += " (\(Figures.duration(age)) ago)" }
        line("cluster", "\(described.identifier) \(state)", described.status == "available" ? .good : .running, false)
        if let problem = life.lookProblem {
            line("look", "failed: \(problem)", .bad, false)
            return
        }
        let idleMinutes = (now - life.lastUsed) / 60
        if described.status == "available", life.lastUsed > 0, idleMinutes >= Self.idleMinutes, life.busy == nil {
            line("idle", "\(Int(idleMinutes)) min unused: p pauses it", .warning, false)
        } else if let hourly = life.costAtLook?.hourly, let soFar = life.costSoFar(now: now) {
            line("cost", String(format: "$%.2f/h · $%.2f so far", hourly, soFar), .normal, false)
        } else {
            line("cost", "no price for \(described.nodeType) in \(life.region)", .dim, false)
        }
    }

    /// Minutes without a query or a load before the pane suggests pausing.
    static let idleMinutes = 30.0

    /// Round trips and quick queries are short: milliseconds (one decimal below 10 ms) up to a second.
    static func latency(_ seconds: Double) -> String {
        if seconds >= 1 { return Figures.duration(seconds) }
        let ms = seconds * 1000
        if ms < 0.1 { return "<0.1 ms" }
        return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
    }
}
