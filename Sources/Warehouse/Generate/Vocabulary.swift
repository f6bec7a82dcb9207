import PostgresClient

/// Word pools for names, titles and places. Some entries are non-ASCII on purpose: the loader
/// must keep every character, and the sources escape them as `\u`.
enum Vocabulary {
    static let titleWords = [
        "Love", "Night", "Heart", "Fire", "Rain", "Dream", "Light", "Summer", "River", "Road", "Home", "Gold",
        "Blue", "Stone", "Wild", "Midnight", "City", "Shadow", "Silver", "Angel", "Thunder", "Paper", "Ocean",
        "Echo", "Garden", "Ghost", "Highway", "Honey", "Island", "Jungle", "Kingdom", "Lonely", "Magic",
        "Morning", "Neon", "Orange", "Paradise", "Queen", "Radio", "Satellite", "Sugar", "Tiger", "Velvet",
        "Winter", "Yesterday", "Zero", "Canción", "Corazón", "Über", "Noche", "Amour", "Fiesta", "Mañana",
        "Señorita", "Été", "Café", "Dancing", "Falling", "Running", "Burning", "Crying", "Flying", "Waiting",
        "Electric", "Golden", "Broken", "Secret", "Sweet", "Crazy", "Little", "Forever", "Tonight", "Again",
        "Baby", "Boy", "Girl", "Song", "Street", "Train", "Window", "Mirror", "Wire", "Smoke", "Storm", "Star",
    ]
    static let artistFirst = [
        "The", "Los", "DJ", "Lil", "Big", "MC", "Sister", "Brother", "Captain", "Doctor", "Young", "Old",
    ]
    static let artistWords = [
        "Black", "Arctic", "Velvet", "Kings", "Monkeys", "Strokes", "Killers", "Pixies", "Shins", "Smiths",
        "Wolves", "Foxes", "Lights", "Machines", "Echoes", "Rivers", "Owls", "Ravens", "Daft", "Punk",
        "Björk", "Sigur", "Rós", "Beyoncé", "Mötley", "Crüe", "Motörhead", "Håkan", "Zoë", "Chloé",
        "Jalebee", "Cartel", "Bonobo", "Coldplay", "Muse", "Tiësto", "Gotye", "Florence", "Machine", "Nirvana",
        "Radio", "Head", "Blur", "Oasis", "Pulp", "Suede", "Elbow", "Keane", "Travis", "Doves", "東京", "事変",
    ]
    static let femaleNames = [
        "Kaylee", "Lily", "Jacqueline", "Chloe", "Tegan", "Aleena", "Rylan", "Jayden", "Ava", "Emily", "Mia",
        "Sophia", "Olivia", "Isabella", "Zoë", "Anaïs", "Ingrid", "Maëlle", "Sara", "Layla", "Kate", "Anna",
    ]
    static let maleNames = [
        "Walter", "Ryan", "Noah", "Liam", "Mason", "Jacob", "William", "Ethan", "Michael", "Alexander", "Kevin",
        "José", "Björn", "Luca", "Mateo", "Tom", "Cole", "Aiden", "Jordan", "Theo", "Lucas", "Owen",
    ]
    static let lastNames = [
        "Frye", "Summers", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernández", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
        "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Müller", "O'Brien", "Nguyen",
    ]
    static let locations = [
        "San Francisco-Oakland-Hayward, CA", "Phoenix-Mesa-Scottsdale, AZ", "New York-Newark-Jersey City, NY-NJ-PA",
        "Chicago-Naperville-Elgin, IL-IN-WI", "Atlanta-Sandy Springs-Roswell, GA", "Houston-The Woodlands-Sugar Land, TX",
        "Lansing-East Lansing, MI", "Tampa-St. Petersburg-Clearwater, FL", "Portland-Vancouver-Hillsboro, OR-WA",
        "Seattle-Tacoma-Bellevue, WA", "Boston-Cambridge-Newton, MA-NH", "Denver-Aurora-Lakewood, CO",
        "Miami-Fort Lauderdale-West Palm Beach, FL", "Detroit-Warren-Dearborn, MI", "Red Bluff, CA",
    ]
    static let artistLocations = [
        "Nashville, TN.", "London, England", "Los Angeles, CA", "New York, NY", "Paris, France", "Berlin",
        "Reykjavík, Iceland", "Stockholm, Sweden", "São Paulo, Brazil", "Tokyo, Japan", "Chicago, IL", "Detroit, MI",
        "Kingston, Jamaica", "Montréal, Québec", "Austin, TX", "Manchester, England", "Dublin, Ireland",
    ]
    static let userAgents = [
        "\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36\"",
        "\"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36\"",
        "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0",
        "\"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53\"",
        "\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36\"",
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)",
        "\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4\"",
    ]
}
