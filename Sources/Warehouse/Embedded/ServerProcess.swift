import Foundation

/// What `postmaster.pid` says about a server, checked against the process table: after a crash
/// the file stays behind, and its pid may since belong to some other program.
struct ServerProcess {
    let pidFile: String

    /// The server's pid if one is really running on this data directory.
    func runningPID() -> Int32? {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = Int32(first), pid > 0
        else { return nil }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        // On Linux the process name tells a reused pid from our server.
        if let name = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) {
            return name.hasPrefix("postgres") ? pid : nil
        }
        return pid
    }

    /// Removes a pid file whose server is gone. Returns true if it did.
    @discardableResult
    func removeIfStale() -> Bool {
        guard FileManager.default.fileExists(atPath: pidFile), runningPID() == nil else { return false }
        try? FileManager.default.removeItem(atPath: pidFile)
        return true
    }
}
