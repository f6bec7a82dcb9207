import PostgresClient

extension Connection {
    /// Connects for warehouse work: the session's search_path names the analytics and staging
    /// schemas, so the analytics team's unqualified queries (`select count(*) from songplays`)
    /// work in every command and in the console. Set per session rather than per role, so
    /// sparkify changes nothing on a cluster it merely connects to.
    public static func warehouse(_ settings: ConnectionSettings) throws -> Connection {
        let connection = try Connection(settings)
        RedshiftRehearsal.attach(to: connection)
        do {
            try connection.execute(PostgresDialect().searchPath)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }
}
