/// Something wrong in a configuration file, said with the file, the line and the key, so the
/// user can go straight there. Never carries a secret value.
public struct ConfigError: Error, Equatable, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int?
    public var key: String?
    public var problem: String

    public init(path: String, line: Int?, key: String?, problem: String) {
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let key { place += ": \(key)" }
        return "\(place): \(problem)"
    }
}
