import Foundation

/// Simulates listeners as one stream of events in time order and writes them to daily log
/// files, counting the ground truth as it goes.
struct EventSimulator {
    let options: DatasetGenerator.Options
    let catalog: Catalog
    private var random: SplitMix
    private let userCount: Int
    private var userLevel: [UInt8]  // 0 free, 1 paid: the level the next event carries
    private var userBusy: [Bool]  // in a session now: one session a user at a time
    private var userSeen: [Bool]
    private var userLastLevel: [UInt8]  // the level on the user's latest event so far
    private var playsPerSong: [UInt32]  // by catalog identity, for the most played matched song
    private var hourPlays = [Int](repeating: 0, count: 24)
    private var sessions: [Session] = []
    private var nextSessionID = 1

    private struct Session {
        var id: Int
        var user: Int?  // nil: logged-out traffic
        var item = 0
        var remaining: Int
    }

    init(options: DatasetGenerator.Options, catalog: Catalog) {
        self.options = options
        self.catalog = catalog
        random = SplitMix(seed: SplitMix.mix(options.seed ^ 0x5EED_E7E7))
        userCount = max(4, options.events / 85)
        userLevel = (0..<userCount).map { SplitMix.hash(options.seed, 11, $0).below(100) < 75 ? 0 : 1 }
        userBusy = Array(repeating: false, count: userCount)
        userSeen = Array(repeating: false, count: userCount)
        userLastLevel = Array(repeating: 0, count: userCount)
        playsPerSong = Array(repeating: 0, count: catalog.songs)
    }

    private enum Page: String {
        case nextSong = "NextSong"
        case home = "Home"
        case thumbsUp = "Thumbs Up"
        case thumbsDown = "Thumbs Down"
        case addToPlaylist = "Add to Playlist"
        case addFriend = "Add Friend"
        case rollAdvert = "Roll Advert"
        case settings = "Settings"
        case saveSettings = "Save Settings"
        case help = "Help"
        case about = "About"
        case error = "Error"
        case upgrade = "Upgrade"
        case submitUpgrade = "Submit Upgrade"
        case downgrade = "Downgrade"
        case submitDowngrade = "Submit Downgrade"
        case logout = "Logout"
        case login = "Login"

        var method: StaticString {
            switch self {
            case .nextSong, .thumbsUp, .thumbsDown, .addToPlaylist, .addFriend, .saveSettings,
                .submitUpgrade, .submitDowngrade, .logout, .login:
                return "PUT"
            default: return "GET"
            }
        }

        var status: Int64 {
            switch self {
            case .submitUpgrade, .submitDowngrade, .logout, .saveSettings, .login: return 307
            case .error: return 404
            default: return 200
            }
        }
    }

    /// Pages of a logged-in session by share (per ten thousand): NextSong about four in five.
    private static let pageShares: [(Page, Int)] = [
        (.nextSong, 8_000), (.home, 420), (.thumbsUp, 450), (.addToPlaylist, 230), (.thumbsDown, 100),
        (.addFriend, 150), (.rollAdvert, 150), (.settings, 60), (.saveSettings, 15), (.help, 50), (.about, 30),
        (.error, 10), (.upgrade, 40), (.submitUpgrade, 30), (.downgrade, 40), (.submitDowngrade, 20), (.logout, 205),
    ]
    private static let shareTotal = pageShares.reduce(0) { $0 + $1.1 }

    mutating func run(output: DatasetOutput, truth: inout GroundTruth, progress: (Int) -> Void) throws {
        let span = Int64(options.days) * 86_400_000
        let meanGap = max(1.0, Double(span) / Double(max(options.events, 1)))
        let concurrency = min(400, max(2, options.events / max(options.days * 100, 1)))
        var clock = options.startMilliseconds + Int64(random.below(Int(min(meanGap, 60_000))))
        var day = Int64.min
        var firstInFile = true
        var lastPlayTime = Int64.min
        var text = JSONText(capacity: 1024)

        for written in 0..<options.events {
            // Now and then two events share a millisecond: time rows are per distinct instant.
            // Gaps average what is left of the span over the events left, so the last event
            // lands inside the last day whatever the draws were.
            let remaining = max(0, options.startMilliseconds + span - 1 - clock)
            let left = Double(remaining) / Double(options.events - written)
            if !random.chance(0.002) { clock += min(remaining, max(1, Int64(left * (0.2 + 1.6 * random.unit())))) }
            while sessions.count < concurrency { startSession() }
            let pick = random.below(sessions.count)
            let page = nextPage(for: sessions[pick])

            if clock / 86_400_000 != day {
                day = clock / 86_400_000
                let (year, month, date) = Self.civilDate(daysSinceEpoch: day)
                let folder = DatasetLayout.logData + String(format: "/%04d/%02d", year, month)
                try output.openLog(folder: folder, name: String(format: "%04d-%02d-%02d-events.json", year, month, date))
                firstInFile = true
            }
            text.bytes.removeAll(keepingCapacity: true)
            // Records are separated, not terminated, by newlines (no newline at the end of a
            // file), and a few are followed by a blank line, as in the real logs.
            if !firstInFile { text.raw(random.chance(0.003) ? "\n\n" : "\n") }
            firstInFile = false
            write(page, session: sessions[pick], at: clock, into: &text, truth: &truth, lastPlayTime: &lastPlayTime)
            try output.appendLog(text.bytes)

            sessions[pick].item += 1
            sessions[pick].remaining -= 1
            if sessions[pick].remaining == 0 || page == .logout || page == .login {
                if let user = sessions[pick].user { userBusy[user] = false }
                sessions.swapAt(pick, sessions.count - 1)
                sessions.removeLast()
            }
            if written & 0xFFFF == 0 { progress(written) }
        }
        try output.closeLog()
        progress(options.events)
        finish(&truth)
    }

    private mutating func startSession() {
        defer { nextSessionID += 1 }
        if !random.chance(0.05) {
            for _ in 0..<8 {
                let user = random.below(userCount)
                guard !userBusy[user] else { continue }
                userBusy[user] = true
                // Sessions of a few to a few dozen events.
                let length = 1 + Int(-log(max(1e-9, 1 - random.unit())) * 18)
                sessions.append(Session(id: nextSessionID, user: user, remaining: length))
                return
            }
        }
        sessions.append(Session(id: nextSessionID, user: nil, remaining: 1 + random.below(3)))
    }

    private mutating func nextPage(for session: Session) -> Page {
        guard let user = session.user else {
            let pages: [Page] = [.home, .home, .about, .help, .login]
            return session.remaining == 1 ? .login : pages[random.below(pages.count)]
        }
        var roll = random.below(Self.shareTotal)
        var chosen = Page.nextSong
        for (page, share) in Self.pageShares {
            if roll < share {
                chosen = page
                break
            }
            roll -= share
        }
        let paid = userLevel[user] == 1
        // Adverts and upgrades are for free users, downgrades for paid ones.
        switch chosen {
        case .rollAdvert, .upgrade, .submitUpgrade: return paid ? .nextSong : chosen
        case .downgrade, .submitDowngrade: return paid ? chosen : .nextSong
        default: return chosen
        }
    }

    private mutating func write(
        _ page: Page, session: Session, at ts: Int64, into text: inout JSONText,
        truth: inout GroundTruth, lastPlayTime: inout Int64
    ) {
        truth.stagingEvents += 1
        var song: (title: String, artist: String, length: Int64)?
        if page == .nextSong { song = choosePlay(level: session.user.map { userLevel[$0] } ?? 0, at: ts, truth: &truth, lastPlayTime: &lastPlayTime) }
        let user = session.user
        let h = SplitMix.hash(options.seed, 10, user ?? 0)
        let female = h.below(2) == 0
        let names = female ? Vocabulary.femaleNames : Vocabulary.maleNames

        text.raw("{")
        text.key("artist", first: true)
        text.string(song?.artist)
        text.key("auth")
        text.string(user == nil ? "Logged Out" : "Logged In")
        text.key("firstName")
        text.string(user.map { _ in names[(h >> 8).below(names.count)] })
        text.key("gender")
        text.string(user.map { _ in female ? "F" : "M" })
        text.key("itemInSession")
        text.integer(Int64(session.item))
        text.key("lastName")
        text.string(user.map { _ in Vocabulary.lastNames[(h >> 16).below(Vocabulary.lastNames.count)] })
        text.key("length")
        if let song { text.fixed(song.length, places: 5) } else { text.null() }
        let level: UInt8 = user.map { userLevel[$0] } ?? 0
        text.key("level")
        text.string(level == 1 ? "paid" : "free")
        text.key("location")
        text.string(user.map { _ in Vocabulary.locations[(h >> 24).below(Vocabulary.locations.count)] })
        text.key("method")
        text.raw("\"")
        text.raw(page.method)
        text.raw("\"")
        text.key("page")
        text.string(page.rawValue)
        text.key("registration")
        if user != nil {
            // A float of epoch milliseconds, as eventsim writes it.
            text.integer(options.startMilliseconds - 86_400_000 - Int64((h >> 32).below(400 * 86_400_000)))
            text.raw(".0")
        } else {
            text.null()
        }
        text.key("sessionId")
        text.integer(Int64(session.id))
        text.key("song")
        text.string(song?.title)
        text.key("status")
        text.integer(page.status)
        text.key("ts")
        text.integer(ts)
        text.key("userAgent")
        text.string(user.map { _ in Vocabulary.userAgents[(h >> 40).below(Vocabulary.userAgents.count)] })
        text.key("userId")
        if let user { text.integerString(user + 1) } else { text.raw("\"\"") }
        text.raw("}")

        if let user {
            userSeen[user] = true
            userLastLevel[user] = level
            // The level changes after the submit, which itself still carries the old one.
            if page == .submitUpgrade { userLevel[user] = 1 }
            if page == .submitDowngrade { userLevel[user] = 0 }
        }
    }

    /// A song for a NextSong event: two in five from the catalog, popular ones far more often,
    /// nearly all within half a second of the catalog's duration; the rest unknown to it.
    private mutating func choosePlay(
        level: UInt8, at ts: Int64, truth: inout GroundTruth,
        lastPlayTime: inout Int64
    ) -> (title: String, artist: String, length: Int64) {
        truth.songplays += 1
        if level == 1 { truth.paidPlays += 1 }
        hourPlays[Int((ts / 3_600_000) % 24)] += 1
        if ts != lastPlayTime {
            truth.timeRows += 1
            lastPlayTime = ts
        }

        if catalog.songs > 0, random.chance(0.4) {
            var identity = min(catalog.songs - 1, Int(Double(catalog.songs) * pow(random.unit(), 3)))
            if catalog.isDuplicate(identity) { identity -= 1 }
            let song = catalog.song(identity)
            let artist = catalog.artist(song.artist).name
            if random.chance(0.95) {
                truth.matchedSongplays += 1
                playsPerSong[identity] += 1
                return (song.title, artist, song.duration + Int64(random.below(90_001)) - 45_000)
            }
            // Same title and artist, but more than half a second away: not the catalog's recording.
            let off = 55_000 + Int64(random.below(35_000))
            return (song.title, artist, song.duration + (random.chance(0.5) ? off : -off))
        }
        let pool = max(1_000, options.events / 20)
        let unknown = Int(Double(pool) * pow(random.unit(), 2))
        let title = Catalog.phrase(catalog.songs + unknown, words: Vocabulary.titleWords, seed: options.seed)
        let artist = catalog.artist((unknown &* 7_919) % catalog.artists).name
        return (title, artist, 6_000_000 + Int64(SplitMix.hash(options.seed, 12, unknown).below(40_000_000)))
    }

    private func finish(_ truth: inout GroundTruth) {
        for user in 0..<userCount where userSeen[user] {
            truth.users += 1
            if userLastLevel[user] == 1 { truth.paidUsers += 1 } else { truth.freeUsers += 1 }
        }
        var busiest = 0
        for hour in 1..<24 where hourPlays[hour] > hourPlays[busiest] { busiest = hour }
        truth.busiestHour = busiest
        truth.busiestHourPlays = hourPlays[busiest]
        if let top = playsPerSong.indices.max(by: { playsPerSong[$0] < playsPerSong[$1] }), playsPerSong[top] > 0 {
            truth.topSongPlays = Int(playsPerSong[top])
            truth.topSongID = catalog.matchedSongID(top)
        }
    }

    /// Days since 1970-01-01 to a (year, month, day) in the proleptic Gregorian calendar.
    static func civilDate(daysSinceEpoch days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}
