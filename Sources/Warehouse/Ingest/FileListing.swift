import Foundation
import PostgresClient

/// A source's files as the listing finds them, in depth-first name order, for readers that
/// start before it ends: a 100,000-file song folder takes 0.15 s to list warm and 0.5 s or
/// more cold, time the copy would otherwise spend waiting. Several threads list folders at
/// once (a cold disk answers many stats at a time); files are handed out in the same order a
/// one-thread walk gives, so loads stay repeatable. A listing made some other way (an S3
/// prefix, the files an incremental load still needs) is simply complete from the start.
public final class FileListing: Sendable {
    /// The folder (or S3 prefix) listed, for messages.
    public let path: String
    /// The source's identity, as the manifest keeps it: the folder's real path (the same folder
    /// named as `./A`, `A/` or through a linked parent is one source), or `s3://bucket/prefix`.
    public let source: String
    private let state: Watched<State>

    /// Folders are listed by this many threads.
    static let threads = 8

    struct State {
        var files: [SourceFile] = []
        var bytes = 0
        var finished = false
        var failure: SourceError?
        /// Entries not read, each named with why (a link leading out, one that cannot be examined).
        var notes: [String] = []
        /// The walk: folders found, those waiting to be listed, and where the hand-out is.
        var walk = Walk()
    }

    /// What the files found so far add up to.
    public struct Count: Equatable, Sendable {
        public var files: Int
        public var bytes: Int
        /// False while the listing may still find more.
        public var complete: Bool
    }

    /// Files known already: nothing left to list.
    public init(complete files: [SourceFile], path: String, source: String? = nil, notes: [String] = []) {
        self.path = path
        self.source = source ?? Self.identity(of: path)
        state = Watched(State(files: files, bytes: files.reduce(0) { $0 + $1.bytes }, finished: true, notes: notes))
    }

    /// What the manifest calls a source: an S3 prefix without its trailing slashes, a local
    /// folder by its real path (as given when it cannot be resolved).
    public static func identity(of location: String) -> String {
        if let remote = try? S3Location(location) {
            var prefix = remote.prefix
            while prefix.hasSuffix("/") { prefix.removeLast() }
            return "s3://\(remote.bucket)/\(prefix)"
        }
        guard let real = realpath(location, nil) else { return location }
        defer { free(real) }
        return String(cString: real)
    }

    /// A source's listing, once it is known to hold a file: an S3 prefix listed whole, a local
    /// folder being listed (this returns with its first file).
    public static func start(_ location: String, s3: S3Access?) throws -> FileListing {
        guard try S3Location(location) == nil else {
            return FileListing(complete: try SourceFolder.list(location, s3: s3).files, path: location, source: identity(of: location))
        }
        let listing = try walking(location)
        guard try listing.hasFiles() else { throw SourceError(path: location, problem: "holds no .json files") }
        return listing
    }

    /// Starts listing the local folder `path` and returns at once; a missing folder, or a file
    /// where a folder should be, is reported here.
    public static func walking(_ path: String) throws -> FileListing {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SourceError(path: path, problem: "no such folder")
        }
        guard isDirectory.boolValue else { throw SourceError(path: path, problem: "is not a folder") }
        let listing = FileListing(walking: path)
        // One prefix string, shared by every file found.
        let root = path + "/"
        for _ in 0..<threads {
            let lister = Thread { [listing] in listing.listFolders(root: root, real: listing.source) }
            lister.stackSize = 1 << 20
            lister.start()
        }
        return listing
    }

    private init(walking path: String) {
        self.path = path
        source = Self.identity(of: path)
        var state = State()
        state.walk.nodes = [Walk.Node(path: path, relative: "")]
        state.walk.pending = [0]
        state.walk.cursor = [(0, 0)]
        self.state = Watched(state)
    }

    /// A listing its maker fills in (`add`, then `end`).
    init(growing path: String) {
        self.path = path
        source = Self.identity(of: path)
        state = Watched(State())
    }

    /// Files found, after those already there.
    func add(_ files: [SourceFile]) {
        state.update { state in
            state.files += files
            state.bytes += files.reduce(0) { $0 + $1.bytes }
        }
    }

    /// No more files: the listing is complete, or failed with `failure`.
    func end(failure: SourceError? = nil) {
        state.update { state in
            state.failure = failure
            state.finished = true
        }
    }

    public var count: Count { state.read { Count(files: $0.files.count, bytes: $0.bytes, complete: $0.finished) } }

    /// The file at `index` in listing order, once listed; nil when the listing ended before it.
    /// `beforeWaiting` runs (outside the lock) if the file is not listed yet, before the wait:
    /// a reader hands on the rows it holds rather than keep them while the listing catches up.
    public func file(at index: Int, beforeWaiting: () -> Void = {}) throws -> SourceFile? {
        let listed = try state.read { state -> SourceFile?? in
            if let failure = state.failure { throw failure }
            if index < state.files.count { return .some(state.files[index]) }
            return state.finished ? .some(nil) : nil
        }
        if let listed { return listed }
        beforeWaiting()
        return try state.wait { state -> SourceFile?? in
            if let failure = state.failure { throw failure }
            if index < state.files.count { return .some(state.files[index]) }
            return state.finished ? .some(nil) : nil
        }
    }

    /// The files of `range` listed so far (the start of it, or none), without waiting. A copy:
    /// a slice would share the list's storage, and the listing's next append would copy it all.
    func listed(_ range: Range<Int>) -> [SourceFile] {
        state.read { state in Array(state.files[min(range.lowerBound, state.files.count)..<min(range.upperBound, state.files.count)]) }
    }

    /// Waits for the first file or the end: false when the folder holds no file at all.
    public func hasFiles() throws -> Bool {
        try state.wait { state -> Bool? in
            if let failure = state.failure { throw failure }
            if !state.files.isEmpty { return true }
            return state.finished ? false : nil
        }
    }

    /// The entries the listing did not read, each named with why; complete once the listing ended.
    public var notes: [String] { state.read { $0.notes } }

    /// Every file, once the listing has ended.
    public func all() throws -> [SourceFile] {
        try state.wait { state -> [SourceFile]? in
            if let failure = state.failure { throw failure }
            return state.finished ? state.files : nil
        }
    }

    /// One lister thread: takes folders to list until the walk is over.
    private func listFolders(root: String, real: String) {
        while let (node, path) = state.wait(until: { state -> (Int, String)?? in
            if state.finished { return .some(nil) }
            guard let node = state.walk.pending.popLast() else { return nil }
            return .some((node, state.walk.nodes[node].path))
        }) {
            let entries = Result { try SourceFolder.entries(of: path, root: real) }
            state.update { state in
                switch entries {
                case .failure(let error):
                    state.failure =
                        error as? SourceError ?? SourceError(path: path, problem: "cannot be read: \(error)")
                    state.finished = true
                case .success(let entries):
                    state.walk.listed(node, entries)
                    state.handOut(root: root)
                }
            }
        }
    }
}

extension FileListing {
    /// The folders of a walk and the position of its hand-out. Value state, changed only under
    /// the listing's lock.
    struct Walk {
        struct Node {
            var path: String
            var relative: String
            /// Nil until listed.
            var items: [Item]? = nil
        }

        enum Item {
            case file(SourceFolder.Entry)
            case folder(Int)
            /// An entry not read, and why: named in the load's notes, in listing order.
            case notRead(name: String, problem: String)
        }

        var nodes: [Node] = []
        /// Folders waiting for a lister, the next to take last: the earliest in listing order
        /// is taken first, so the hand-out is rarely kept waiting.
        var pending: [Int] = []
        /// The hand-out's place: the folders it is inside, and the next item of each.
        var cursor: [(node: Int, next: Int)] = []

        mutating func listed(_ node: Int, _ entries: [SourceFolder.Entry]) {
            let base = nodes[node]
            var items: [Item] = []
            var folders: [Int] = []
            items.reserveCapacity(entries.count)
            for entry in entries {
                if let problem = entry.problem {
                    items.append(.notRead(name: entry.name, problem: problem))
                } else if entry.isFolder {
                    folders.append(nodes.count)
                    items.append(.folder(nodes.count))
                    let relative = base.relative.isEmpty ? entry.name : base.relative + "/" + entry.name
                    nodes.append(Node(path: base.path + "/" + entry.name, relative: relative))
                } else {
                    items.append(.file(entry))
                }
            }
            nodes[node].items = items
            pending.append(contentsOf: folders.reversed())
        }

    }
}

extension FileListing.State {
    /// Hands out every file that is now next in listing order; ends the listing when the walk
    /// is through.
    mutating func handOut(root: String) {
        while let (node, next) = walk.cursor.last {
            guard let items = walk.nodes[node].items else { return }  // not listed yet
            guard next < items.count else {
                walk.cursor.removeLast()
                walk.nodes[node].items = []  // done with
                continue
            }
            walk.cursor[walk.cursor.count - 1].next += 1
            switch items[next] {
            case .file(let entry):
                let relative = walk.nodes[node].relative
                var file = SourceFile(
                    prefix: root, name: relative.isEmpty ? entry.name : relative + "/" + entry.name, bytes: entry.bytes,
                    modifiedNanos: entry.modifiedNanos)
                file.rawName = entry.rawName.map { relative.isEmpty ? $0 : Array((relative + "/").utf8) + $0 }
                file.throughLink = entry.throughLink
                files.append(file)
                self.bytes += entry.bytes
            case .notRead(let name, let problem):
                let relative = walk.nodes[node].relative
                let named = relative.isEmpty ? name : relative + "/" + name
                notes.append(named + (problem.hasPrefix("→") ? " " : ": ") + problem)
            case .folder(let child):
                walk.cursor.append((child, 0))
            }
        }
        finished = true
    }
}
