/// The song catalog as pure functions of a song's index: nothing is stored, so the events can
/// refer to any of a million songs and the generator's memory stays flat.
///
/// Titles are unique by construction (the index written in a base of words), so a play matches
/// only the song it was drawn from, or that song's deliberate duplicate entry. A duplicate is
/// a second catalog entry with the same title, artist and duration and another song_id.
struct Catalog {
    let seed: UInt64
    let songs: Int
    let artists: Int

    init(seed: UInt64, songs: Int) {
        self.seed = seed
        self.songs = songs
        artists = max(1, songs * 2 / 5)
    }

    struct Song {
        var songID: String
        var trackID: String
        var title: String
        var artist: Int
        /// Seconds × 100,000: the song files carry five decimals, like the real ones.
        var duration: Int64
        var year: Int
    }

    struct Artist {
        var artistID: String
        var name: String
        var location: String
        var latitude: Int64?
        var longitude: Int64?
    }

    /// Artists own runs of consecutive songs: about two and a half each.
    func artist(ofSong index: Int) -> Int { Int(Int64(index) * Int64(artists) / Int64(max(songs, 1))) }

    private func duplicateCandidate(_ index: Int) -> Bool {
        index > 0 && SplitMix.hash(seed, 1, index).below(25) == 0 && artist(ofSong: index) == artist(ofSong: index - 1)
    }

    /// Song `index` repeats song `index - 1` (never a chain of three).
    func isDuplicate(_ index: Int) -> Bool { duplicateCandidate(index) && !duplicateCandidate(index - 1) }

    func song(_ index: Int) -> Song {
        let identity = isDuplicate(index) ? index - 1 : index
        let h = SplitMix.hash(seed, 2, index)
        let facts = SplitMix.hash(seed, 3, identity)
        return Song(
            songID: Self.identifier("SO", index, h),
            trackID: Self.identifier("TR", index, h >> 7),
            title: Self.phrase(identity, words: Vocabulary.titleWords, seed: seed),
            artist: artist(ofSong: identity),
            duration: 9_000_000 + Int64(facts.below(50_000_000)),
            year: h.below(100) < 45 ? 0 : 1960 + (h >> 20).below(51))
    }

    /// The song_id a play of `identity` gets in songplays: with a duplicate entry, the smaller.
    func matchedSongID(_ identity: Int) -> String {
        let own = song(identity).songID
        guard identity + 1 < songs, isDuplicate(identity + 1) else { return own }
        return min(own, song(identity + 1).songID)
    }

    func artist(_ index: Int) -> Artist {
        let h = SplitMix.hash(seed, 4, index)
        var name = Self.artistName(index, seed: seed)
        // A few names arrive double-encoded, as some do in the real logs: UTF-8 read as Latin-1.
        if h.below(40) == 0 { name = Self.doubleEncoded(name) }
        let placed = (h >> 8).below(100) < 40
        return Artist(
            artistID: Self.identifier("AR", index, h),
            name: name,
            location: (h >> 16).below(100) < 50 ? "" : Vocabulary.artistLocations[(h >> 24).below(Vocabulary.artistLocations.count)],
            latitude: placed ? Int64((h >> 32).below(12_000_000)) - 6_000_000 : nil,
            longitude: placed ? Int64((h >> 40).below(30_000_000)) - 15_000_000 : nil)
    }

    /// Eighteen characters like the real ids, unique because the index is spelled inside them.
    static func identifier(_ prefix: String, _ index: Int, _ noise: UInt64) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let alphanumeric = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var text = prefix
        var n = noise
        for _ in 0..<4 {
            text.append(letters[Int(n % 26)])
            n /= 26
        }
        var spelled = ""
        var value = index
        for _ in 0..<7 {
            spelled.insert(alphanumeric[value % 36], at: spelled.startIndex)
            value /= 36
        }
        text += spelled
        for _ in 0..<5 {
            text.append(alphanumeric[Int(n % 36)])
            n /= 36
        }
        return text
    }

    /// `index` in bijective base-N of the (seed-shuffled) words: distinct indexes, distinct phrases.
    static func phrase(_ index: Int, words: [String], seed: UInt64) -> String {
        var value = index + 1
        var parts: [String] = []
        let count = words.count
        while value > 0 {
            value -= 1
            let digit = value % count
            parts.append(words[Int((UInt64(digit) &+ seed) % UInt64(count))])
            value /= count
        }
        return parts.joined(separator: " ")
    }

    static func artistName(_ index: Int, seed: UInt64) -> String {
        let h = SplitMix.hash(seed, 5, index)
        let core = phrase(index, words: Vocabulary.artistWords, seed: seed &+ 7)
        return h.below(3) == 0 ? Vocabulary.artistFirst[(h >> 8).below(Vocabulary.artistFirst.count)] + " " + core : core
    }

    static func doubleEncoded(_ text: String) -> String {
        String(String.UnicodeScalarView(text.utf8.map { Unicode.Scalar($0) }))
    }
}
