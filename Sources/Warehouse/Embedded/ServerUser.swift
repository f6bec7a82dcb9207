import Foundation

/// The unprivileged system user the server runs as when sparkify itself runs as root.
struct ServerUser: Sendable {
    let name: String
    let uid: uid_t
    let gid: gid_t

    static func postgres() throws -> ServerUser {
        guard let entry = getpwnam("postgres") else { throw EmbeddedError.noServerUser }
        return ServerUser(name: "postgres", uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    func takeOwnership(of paths: [String]) throws {
        for path in paths where chown(path, uid, gid) != 0 {
            throw EmbeddedError.commandFailed(command: "chown \(name) \(path)", output: String(cString: strerror(errno)))
        }
    }

    /// Every directory above `path` must let others pass (x), or belong to this user.
    func checkCanReach(_ path: String) throws {
        var current = (path as NSString).deletingLastPathComponent
        while current != "/" && !current.isEmpty {
            var info = stat()
            if stat(current, &info) == 0, info.st_uid != uid, info.st_mode & 0o001 == 0 {
                throw EmbeddedError.unreachableDirectory(path: path, user: name)
            }
            current = (current as NSString).deletingLastPathComponent
        }
    }
}
