import Foundation

/// What the rebuild's swap must not lose. The swap renames `analytics` aside and drops it with
/// CASCADE: a view an analyst built on the analytics tables, or any other object in that
/// schema, would go with it ("DROP SCHEMA … CASCADE" drops everything in the schema and what
/// depends on it: https://docs.aws.amazon.com/redshift/latest/dg/r_DROP_SCHEMA.html), and the
/// grants on the old schema and tables would not follow the new ones. So the swap first refuses
/// when such objects exist, naming them (the built tables wait in analytics_build), and carries
/// the grants over (GRANT: https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html).
enum SwapGuard {
    /// Objects the swap would drop: views (in any schema) that read the analytics tables, and
    /// any relation in `analytics` that is not one of the star's tables.
    static let blockers = """
        SELECT DISTINCT vn.nspname || '.' || v.relname || ' (a view on ' || t.relname || ')'
        FROM pg_depend d
        JOIN pg_rewrite r ON r.oid = d.objid
        JOIN pg_class v ON v.oid = r.ev_class
        JOIN pg_namespace vn ON vn.oid = v.relnamespace
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_namespace tn ON tn.oid = t.relnamespace
        WHERE tn.nspname = '\(StarSchema.analyticsSchema)' AND v.oid <> t.oid
        UNION
        SELECT n.nspname || '.' || c.relname || ' (not one of the star''s tables)'
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '\(StarSchema.analyticsSchema)' AND c.relkind IN ('r', 'v', 'm')
          AND c.relname NOT IN (\(StarSchema.analyticsTables.map { "'\($0.name)'" }.joined(separator: ", ")))
        ORDER BY 1;
        """

    /// The access lists of the analytics schema and its star tables (nil when none was granted).
    static let grants = """
        SELECT '', n.nspacl::text FROM pg_namespace n WHERE n.nspname = '\(StarSchema.analyticsSchema)'
        UNION ALL
        SELECT c.relname, c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '\(StarSchema.analyticsSchema)' AND c.relkind = 'r';
        """

    /// GRANT statements giving the built schema (`schema` empty) or table what the access list
    /// `acl` (`{grantee=privileges/grantor,…}`) gives, owners' own entries left out.
    static func grantStatements(acl: String, on table: String) -> [String] {
        let entries = acl.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",")
        var statements: [String] = []
        for entry in entries {
            let text = entry.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard let equals = text.firstIndex(of: "="), let slash = text.lastIndex(of: "/") else { continue }
            let grantee = String(text[..<equals])
            let grantor = String(text[text.index(after: slash)...])
            let letters = String(text[text.index(after: equals)..<slash]).replacingOccurrences(of: "*", with: "")
            if grantee == grantor { continue }  // the owner's own rights come with ownership
            let names: [Character: String] =
                table.isEmpty
                ? ["U": "USAGE", "C": "CREATE"]
                : ["r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE", "D": "TRUNCATE", "x": "REFERENCES", "t": "TRIGGER"]
            let privileges = letters.compactMap { names[$0] }
            guard !privileges.isEmpty else { continue }
            let to: String
            if grantee.isEmpty {
                to = "PUBLIC"
            } else if grantee.hasPrefix("group ") {
                to = "GROUP \"" + grantee.dropFirst(6) + "\""
            } else {
                to = "\"" + grantee + "\""
            }
            let target = table.isEmpty ? "SCHEMA \(StarSchema.buildSchema)" : "\(StarSchema.buildSchema).\(table)"
            statements.append("GRANT \(privileges.joined(separator: ", ")) ON \(target) TO \(to);")
        }
        return statements
    }
}

/// The swap would drop objects someone built on the analytics tables: nothing was swapped.
public struct SwapBlocked: Error, CustomStringConvertible, Sendable {
    public var objects: [String]

    public var description: String {
        """
        the rebuilt tables were not swapped in: \(objects.joined(separator: ", ")) would be dropped with the old \
        analytics schema. Recreate such a view as a late-binding view (CREATE VIEW … WITH NO SCHEMA BINDING, on \
        Redshift) or outside analytics' dependencies, or drop it; then run the insert steps again (the built tables \
        wait in \(StarSchema.buildSchema)).
        """
    }
}
