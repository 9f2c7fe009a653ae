"""Reference data for the demo warehouse: cities, names, weighted choices.

Kept apart from the SQL generator so the proportions can be read and tuned in one place.
Weights are relative (they need not sum to 1). Enumerated values must stay exactly those
of the acme schema (examples/segdsl.toml); tests check that.
"""

from __future__ import annotations

from datetime import date

# The demo's fixed "today": segments run as of this date so results never drift.
DEMO_AS_OF = date(2024, 6, 30)
# Orders and events cover the two years ending DEMO_AS_OF (inclusive).
HISTORY_START = date(2022, 7, 1)
# Customers signed up from here on; growth makes recent years more common.
FIRST_SIGNUP = date(2015, 1, 1)
# The shop tracks product views, carts and checkouts from this day on (the last quarter of
# the history), for a catalogue of this many products (ids P001 ..).
SHOP_TRACKING_START = date(2024, 4, 1)
SHOP_PRODUCTS = 120

# (city, state, region, weight). Weights are roughly metro populations so that regions come
# out in believable shares (East Coast and South largest, Mountain smallest). Cities are
# consistent with their state and region, and include the ones the language examples use
# ("Boston", "Cambridge", names starting with "New" or containing "san").
CITIES: list[tuple[str, str, str, float]] = [
    ("Los Angeles", "CA", "West Coast", 10.0),
    ("San Francisco", "CA", "West Coast", 5.0),
    ("San Diego", "CA", "West Coast", 5.0),
    ("San Jose", "CA", "West Coast", 4.0),
    ("Sacramento", "CA", "West Coast", 2.5),
    ("Oakland", "CA", "West Coast", 2.0),
    ("Seattle", "WA", "West Coast", 5.0),
    ("Spokane", "WA", "West Coast", 1.0),
    ("Portland", "OR", "West Coast", 3.5),
    ("New York", "NY", "East Coast", 16.0),
    ("Buffalo", "NY", "East Coast", 1.5),
    ("Boston", "MA", "East Coast", 5.0),
    ("Cambridge", "MA", "East Coast", 1.5),
    ("Philadelphia", "PA", "East Coast", 5.0),
    ("Pittsburgh", "PA", "East Coast", 2.0),
    ("Washington", "DC", "East Coast", 4.0),
    ("Baltimore", "MD", "East Coast", 2.5),
    ("Newark", "NJ", "East Coast", 2.0),
    ("Jersey City", "NJ", "East Coast", 1.5),
    ("Hartford", "CT", "East Coast", 1.0),
    ("Providence", "RI", "East Coast", 1.0),
    ("Chicago", "IL", "Midwest", 9.0),
    ("Detroit", "MI", "Midwest", 3.0),
    ("Minneapolis", "MN", "Midwest", 3.0),
    ("Columbus", "OH", "Midwest", 3.0),
    ("Cleveland", "OH", "Midwest", 2.0),
    ("Milwaukee", "WI", "Midwest", 2.0),
    ("St. Louis", "MO", "Midwest", 2.0),
    ("Kansas City", "MO", "Midwest", 2.0),
    ("Indianapolis", "IN", "Midwest", 2.5),
    ("Houston", "TX", "South", 7.0),
    ("Dallas", "TX", "South", 6.0),
    ("Austin", "TX", "South", 4.0),
    ("San Antonio", "TX", "South", 4.0),
    ("Atlanta", "GA", "South", 5.0),
    ("Miami", "FL", "South", 5.0),
    ("Orlando", "FL", "South", 2.5),
    ("Tampa", "FL", "South", 2.5),
    ("Nashville", "TN", "South", 2.5),
    ("Charlotte", "NC", "South", 3.0),
    ("Raleigh", "NC", "South", 2.0),
    ("New Orleans", "LA", "South", 1.5),
    ("Denver", "CO", "Mountain", 4.0),
    ("Boulder", "CO", "Mountain", 1.0),
    ("Phoenix", "AZ", "Mountain", 5.0),
    ("Tucson", "AZ", "Mountain", 1.5),
    ("Salt Lake City", "UT", "Mountain", 2.0),
    ("Las Vegas", "NV", "Mountain", 3.0),
    ("Boise", "ID", "Mountain", 1.0),
    ("Albuquerque", "NM", "Mountain", 1.5),
]

# Cities where the (fictional) company runs in-person workshops; workshop_registered events
# carry one of these as their city, usually the customer's own when it is on the list.
WORKSHOP_CITIES: list[tuple[str, float]] = [
    ("New York", 20), ("Boston", 18), ("San Francisco", 15), ("Chicago", 12), ("Austin", 10),
    ("Seattle", 8), ("Denver", 8), ("Cambridge", 9),
]

FIRST_NAMES = [
    "james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda", "david",
    "elizabeth", "william", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah",
    "carlos", "maria", "wei", "mei", "arjun", "priya", "mohammed", "fatima", "kenji", "yuki",
    "daniel", "emily", "jose", "sofia", "kevin", "olivia", "brian", "emma", "lucas", "ava",
    "noah", "mia",
]
LAST_NAMES = [
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
    "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor",
    "moore", "jackson", "martin", "lee", "perez", "thompson", "white", "harris", "sanchez",
    "clark", "ramirez", "lewis", "robinson", "walker", "young", "allen", "king", "wright",
    "nguyen", "chen", "patel", "kim", "obrien",
]
EMAIL_DOMAINS: list[tuple[str, float]] = [
    ("gmail.com", 38), ("yahoo.com", 11), ("outlook.com", 10), ("icloud.com", 9),
    ("hotmail.com", 6), ("aol.com", 2), ("proton.me", 2), ("comcast.net", 2),
    ("acme-corp.example", 5), ("initech.example", 3),
]

# Enumerations: values exactly as in the acme schema.
GENDERS: list[tuple[str, float]] = [
    ("female", 49), ("male", 45), ("nonbinary", 2), ("undisclosed", 4),
]
PLANS: list[tuple[str, float]] = [("free", 55), ("basic", 25), ("pro", 15), ("enterprise", 5)]
ORDER_STATUSES: list[tuple[str, float]] = [("paid", 90.5), ("refunded", 5.5), ("cancelled", 4)]
CHANNELS: list[tuple[str, float]] = [("web", 45), ("mobile_app", 35), ("store", 15), ("phone", 5)]

# Interest -> base probability that a customer with a known interest list has it. A few
# are adjusted in SQL (hiking by region, gaming by age, camping/climbing follow hiking).
INTERESTS: list[tuple[str, float]] = [
    ("hiking", 0.18), ("camping", 0.08), ("climbing", 0.02), ("cooking", 0.30),
    ("travel", 0.35), ("fitness", 0.30), ("gaming", 0.18), ("music", 0.40),
    ("fashion", 0.20), ("photography", 0.15),
]
DEVICES: list[tuple[str, float]] = [
    ("mobile", 0.88), ("desktop", 0.62), ("tablet", 0.28), ("tv", 0.14),
]

# Behavioural event mix (order_completed and unsubscribed are derived separately from
# orders and subscription state). "Learners" are the ~8% of customers who attend webinars,
# request demos and register for workshops, so those rare events cluster on few people
# the way they do in real marketing data.
EVENT_MIX: list[tuple[str, float]] = [
    ("session_start", 76.0), ("email_open", 18.0), ("email_click", 5.0),
    ("webinar_attended", 0.4), ("demo_requested", 0.4), ("workshop_registered", 0.2),
]
EVENT_MIX_LEARNER: list[tuple[str, float]] = [
    ("session_start", 70.0), ("email_open", 17.0), ("email_click", 5.0),
    ("webinar_attended", 4.0), ("demo_requested", 2.0), ("workshop_registered", 2.0),
]

# Relative order volume by hour of day (UTC-naive timestamps; evenings peak).
ORDER_HOURS = [1.0, 0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.2, 3.6, 3.9,
               4.2, 4.0, 3.8, 3.7, 3.8, 4.2, 4.8, 5.4, 5.8, 5.2, 3.8, 2.2]

# Web visits cover the last VISIT_DAYS days of the history. Each customer has one persona,
# drawn with these weights, that sets how often they visit and how many pages a visit reads
# (medians); minutes follow pages. The personas are what `segdsl discover` should find: they
# differ in two traits at once (visits and pages per visit), so no single threshold on one
# of them tells them apart.
VISIT_DAYS = 90
# (persona, weight, visits in the window, pages per visit)
PERSONAS: list[tuple[str, float, float, float]] = [
    ("regulars", 15, 15.0, 7.0),
    ("browsers", 25, 15.0, 2.0),
    ("researchers", 20, 3.0, 7.0),
    ("occasionals", 40, 3.0, 2.0),
]
