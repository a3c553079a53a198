/// Names, e-mail addresses and payment instruments of simulated sign-ups.
enum Identity {
    static let firstNames = [
        "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "david", "elizabeth",
        "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "chris", "karen",
        "daniel", "lisa", "matthew", "nancy", "anthony", "sandra", "mark", "ashley", "steven", "emily",
        "andrew", "michelle", "kevin", "amanda", "brian", "melissa", "george", "laura", "ryan", "anna",
        "wei", "li", "jun", "hiro", "yuki", "min", "ji-woo", "arjun", "priya", "rahul", "ananya", "lucas",
        "gabriel", "maria", "sofia", "mateo", "lena", "jonas", "emma", "noah", "olivia", "liam", "chen",
        "fatima", "omar", "ahmed", "aisha", "ivan", "olga", "pierre", "camille", "marco", "giulia",
    ]
    static let lastNames = [
        "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
        "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
        "lee", "perez", "thompson", "white", "harris", "clark", "lewis", "walker", "young", "allen", "king",
        "wang", "zhang", "liu", "chen", "yang", "kim", "park", "nguyen", "tran", "sato", "suzuki", "tanaka",
        "patel", "sharma", "singh", "kumar", "silva", "santos", "oliveira", "muller", "schmidt", "schneider",
        "fischer", "dubois", "moreau", "rossi", "russo", "kowalski", "nowak", "ivanov", "petrov", "yilmaz",
    ]
    static let freeMail = [
        "gmail.com", "gmail.com", "gmail.com", "gmail.com", "outlook.com", "hotmail.com", "yahoo.com",
        "icloud.com", "proton.me", "gmx.de", "mail.ru", "qq.com", "163.com", "yandex.com",
    ]
    static let burnerMail = [
        "mailbox.org", "tutamail.com", "proton.me", "duck.com", "fastmail.com", "zoho.com", "gmx.com",
    ]
    static let cardBINs = [
        "411111", "424242", "453201", "455673", "476173", "510510", "520082", "542418", "555555", "601100",
        "371449", "378282", "489537", "516732", "535310", "402400", "414720", "431940", "448590", "465946",
    ]
    /// Prepaid / virtual-card BIN ranges favoured by bulk sign-ups.
    static let prepaidBINs = ["533248", "537410", "404038", "428837", "485340"]

    /// A human-style local part: `jane.doe`, `jdoe87`, `janedoe`, `doe.jane.work` ...
    static func realisticLocal(_ rng: inout SimRandom) -> String {
        let f = rng.pick(firstNames)
        let l = rng.pick(lastNames)
        switch rng.below(7) {
        case 0: return "\(f).\(l)"
        case 1: return "\(f.prefix(1))\(l)\(rng.int(1...99))"
        case 2: return "\(f)\(l)"
        case 3: return "\(f)_\(l)\(rng.int(70...99))"
        case 4: return "\(l).\(f)"
        case 5: return "\(f)\(rng.int(1...9999))"
        default: return "\(f).\(l).\(rng.pick(["dev", "work", "ai", "mail", "x"]))"
        }
    }

    /// The `firstname.lastname1987` pattern of bulk-created accounts.
    static func nameYearLocal(_ rng: inout SimRandom) -> String {
        "\(rng.pick(firstNames)).\(rng.pick(lastNames))\(rng.int(1975...2004))"
    }

    /// A random-string local part of bulk-created accounts.
    static func randomLocal(_ rng: inout SimRandom) -> String {
        rng.token(rng.int(8...12), alphabet: "abcdefghijklmnopqrstuvwxyz0123456789")
    }

    /// A stable payment fingerprint.
    static func card(_ rng: inout SimRandom) -> String {
        "pm_" + rng.token(16, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    }
}
