#!/usr/bin/env python3
"""othersim: an independent synthetic request-log generator for distillation-campaign detectors.

Written from the public input-format contract (formats.md) and the shared prompt corpora only,
without reading the detector's code, tests, docs or its own simulator.  Standard library only.

    python3 othersim.py --seed N --out DIR [--scale X] [--days D] [--prompts DIR]
    python3 othersim.py --selfcheck
"""
import argparse
import bisect
import gzip
import hashlib
import ipaddress
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone

SEC = 1000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROMPTS = [os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'prompts')),
                   '/work/shared/data/prompts']


# ----------------------------------------------------------------------------- small helpers
def logu(r, a, b):
    return math.exp(r.uniform(math.log(a), math.log(b)))


def lognorm(r, med, sig):
    return med * math.exp(r.gauss(0.0, sig))


def poisson(r, lam):
    if lam <= 0:
        return 0
    if lam < 40:
        L = math.exp(-lam)
        k = 0
        p = r.random()
        while p > L:
            k += 1
            p *= r.random()
        return k
    return max(0, int(r.gauss(lam, math.sqrt(lam)) + 0.5))


def clamp(x, a, b):
    return a if x < a else b if x > b else x


def tok(s):
    return (len(s) * 10) // 39 + 1 if s else 0


B62 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
LOWER = 'abcdefghijklmnopqrstuvwxyz'
LOWDIG = 'abcdefghijklmnopqrstuvwxyz0123456789'
HEX = '0123456789abcdef'


def rstr(r, n, alpha=B62):
    return ''.join(r.choices(alpha, k=n))


def fmt_ts(ms):
    s, m = divmod(int(ms), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(s)) + '.%03dZ' % m


class Cum:
    """weighted chooser with precomputed cumulative weights"""
    __slots__ = ('items', 'cum', 'tot')

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = []
        t = 0.0
        for w in weights:
            t += w
            self.cum.append(t)
        self.tot = t

    def pick(self, r):
        i = bisect.bisect(self.cum, r.random() * self.tot)
        return self.items[min(i, len(self.items) - 1)]


def zipf_cum(n, s=1.05):
    return Cum(range(n), [1.0 / (i + 1) ** s for i in range(n)])


# ----------------------------------------------------------------------------- static tables
FIRST = ("james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan "
         "joseph jessica thomas sarah charles karen daniel nancy matthew lisa anthony betty mark sandra donald "
         "ashley steven kimberly paul emily andrew donna joshua michelle kevin carol brian amanda george melissa "
         "timothy deborah ryan stephanie jacob rebecca gary sharon nicholas laura eric cynthia jonathan amy "
         "stephen kathleen justin angela scott anna brandon ruth benjamin samuel nicole gregory katherine frank "
         "samantha alexander christine patrick emma jack catherine tyler rachel aaron janet jose maria luis ana "
         "carlos sofia juan lucia miguel valentina pedro camila diego isabella rahul priya amit neha arjun ananya "
         "vikram pooja rohan sneha wei li jing ming hiroshi yuki takeshi sakura kenji minji jisoo hyun seojun "
         "ahmed fatima omar aisha mohammed leila ali zeynep mehmet emre lukas jonas lena felix marie sophie leon "
         "mia lucas chloe hugo camille louis lea linh minh thao olu chioma emeka ngozi kwame ama ivan olga "
         "tomasz kasia marco giulia luca chiara pablo elena sven ingrid").split()
LAST = ("smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez "
        "wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez "
        "lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker "
        "hall rivera campbell mitchell carter roberts patel sharma singh kumar gupta shah reddy iyer wang zhang "
        "liu chen yang huang zhao wu zhou tanaka suzuki takahashi watanabe ito kim park choi jung kang mueller "
        "schmidt schneider fischer weber meyer wagner becker dubois bernard petit durand rossi russo ferrari "
        "esposito silva santos oliveira souza costa pereira kowalski nowak yilmaz kaya demir okafor adeyemi "
        "mensah osei novak larsen berg").split()
WORDS = ("north blue river stone bright cedar pixel quantum harbor summit lumen vertex atlas orbit maple falcon "
         "nimbus ember cobalt aurora delta prairie crest signal forge beacon sparrow willow granite tidal nova "
         "cascade meridian iron copper silver solar lunar apex zenith vector matrix circuit logic cloud stack "
         "shift bridge canyon fjord glacier horizon island kernel lattice mosaic nexus oak pine quartz ridge sage "
         "thistle vale wave yarrow hollow lark juniper mesa onyx raven tundra").split()
NICK = ("dark pixel cyber ninja happy lazy crazy silent shadow lucky super mega tiny red blue green wolf cat fox "
        "dragon tiger panda bear coder gamer dev hacker rider hunter star moon sun").split()

# cc: (weight, tz offsets, tld, local freemail)
COUNTRIES = {
    'US': (30, [-5, -5, -6, -7, -8, -8], 'com', []),
    'IN': (10, [5.5], 'in', ['rediffmail.com']),
    'GB': (6, [0], 'co.uk', ['btinternet.com', 'sky.com']),
    'DE': (5, [1], 'de', ['gmx.de', 'web.de', 't-online.de']),
    'BR': (5, [-3], 'com.br', ['uol.com.br', 'bol.com.br']),
    'FR': (4, [1], 'fr', ['orange.fr', 'free.fr', 'laposte.net']),
    'CA': (4, [-5, -5, -8, -7], 'ca', []),
    'JP': (3, [9], 'jp', ['yahoo.co.jp']),
    'KR': (3, [9], 'kr', ['naver.com', 'daum.net']),
    'AU': (2, [10, 10, 8], 'com.au', ['bigpond.com']),
    'ES': (2, [1], 'es', []),
    'IT': (2, [1], 'it', ['libero.it']),
    'NL': (2, [1], 'nl', ['ziggo.nl']),
    'PL': (2, [1], 'pl', ['wp.pl', 'onet.pl']),
    'MX': (2, [-6], 'mx', []),
    'SG': (1, [8], 'sg', []),
    'VN': (2, [7], 'vn', []),
    'ID': (2, [7], 'id', []),
    'PH': (2, [8], 'ph', []),
    'TR': (2, [3], 'com.tr', []),
    'NG': (1, [1], 'ng', []),
    'EG': (1, [2], 'eg', []),
    'PK': (1, [5], 'pk', []),
    'KE': (1, [3], 'ke', []),
}
CC_CUM = Cum(list(COUNTRIES), [v[0] for v in COUNTRIES.values()])
FREEMAIL = Cum(['gmail.com', 'outlook.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'proton.me', 'aol.com'],
               [52, 10, 8, 7, 6, 2, 1])

# local-hour activity profiles
PROF = {
    'evening': [2, 1.2, .6, .3, .2, .2, .4, .8, 1.4, 1.9, 2.2, 2.4, 2.6, 2.4, 2.4, 2.5, 2.7, 3, 3.4, 3.8, 4, 3.8, 3.2, 2.6],
    'office': [.05, .03, .02, .02, .02, .05, .2, .8, 2.5, 4, 4.5, 4.2, 3, 3.8, 4.3, 4.2, 3.8, 2.8, 1.4, .7, .5, .4, .3, .1],
    'student': [3, 2.2, 1.2, .6, .3, .2, .2, .4, 1, 1.8, 2.2, 2.4, 2.3, 2.4, 2.6, 2.7, 2.8, 3, 3.2, 3.5, 3.8, 4, 4.2, 3.8],
    'night': [4, 4, 3.6, 3.2, 3, 2.5, 1.5, .6, .2, .1, .1, .1, .1, .1, .1, .2, .3, .5, .8, 1.5, 2.5, 3.5, 4, 4],
    'flat': [1.0] * 24,
    'dev': [.7, .45, .3, .2, .15, .15, .2, .4, 1, 2, 2.6, 2.8, 2.4, 2.8, 3, 3, 2.8, 2.4, 2, 2, 2.1, 2, 1.6, 1.1],
    'school': [.2, .1, .05, .05, .05, .1, .3, .8, 1.2, 1.4, 1.5, 1.5, 1.4, 1.6, 2, 2.8, 3.4, 3.6, 3.6, 3.8, 3.6, 2.8, 1.6, .6],
    'app': [.7, .6, .55, .5, .5, .55, .65, .8, .95, 1.05, 1.1, 1.15, 1.2, 1.2, 1.2, 1.2, 1.2, 1.25, 1.3, 1.35, 1.3, 1.15, 1, .85],
}


class Clock:
    __slots__ = ('cum', 'tot')

    def __init__(self, prof, tz, r=None, jit=0.25, shift=0):
        base = PROF[prof] if isinstance(prof, str) else prof
        off = int(math.floor(tz)) + shift
        w = []
        for h in range(24):
            x = base[(h + off) % 24]
            if r is not None and jit:
                x *= math.exp(r.gauss(0, jit))
            w.append(x)
        self.cum = []
        t = 0.0
        for x in w:
            t += x
            self.cum.append(t)
        self.tot = t

    def t(self, r, d0):
        h = min(23, bisect.bisect(self.cum, r.random() * self.tot))
        return d0 + h * HOUR + r.randrange(HOUR)


# ------------------------------------------------------------------- address space (fixed, seed independent)
def _p4(s):
    a, l = s.split('/')
    p = [int(x) for x in a.split('.')]
    return (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3], 1 << (32 - int(l))


def v4s(x):
    return '%d.%d.%d.%d' % (x >> 24, (x >> 16) & 255, (x >> 8) & 255, x & 255)


def v6s(x):
    return ipaddress.IPv6Address(x).compressed


class NetEnt:
    def __init__(self, asn, kind, name, cc, v4, v6):
        self.asn, self.kind, self.name, self.cc = asn, kind, name, cc
        self.v4 = []
        for s in v4.split():
            s, _, c = s.partition('@')
            b, n = _p4(s)
            self.v4.append((b, n, c or cc))
        self.v6 = []
        for s in v6.split():
            s, _, c = s.partition('@')
            net = ipaddress.IPv6Network(s)
            self.v6.append((int(net.network_address), net.prefixlen, c or cc))

    def ip4(self, r, idx=None):
        b, n, c = self.v4[idx if idx is not None else r.randrange(len(self.v4))]
        x = b + r.randrange(n)
        x = (x & ~255) | r.randint(1, 254)
        return (v4s(x), self.asn, c)

    def block24(self, r):
        b, n, c = r.choice(self.v4)
        return ((b + r.randrange(n)) & ~255, c)

    def prefix(self, r, plen):
        """a random sub-prefix (int base) of one of the v6 prefixes"""
        b, l, c = r.choice(self.v6)
        return b | (r.getrandbits(plen - l) << (128 - plen)), c


NETS = [NetEnt(*x) for x in [
    # consumer ISPs
    (7922, 'isp', 'comcast', 'US', '73.0.0.0/8 24.0.0.0/12 98.192.0.0/10 68.32.0.0/11 69.136.0.0/13', '2601::/20'),
    (20115, 'isp', 'charter', 'US', '71.80.0.0/12 76.160.0.0/11 97.64.0.0/11 24.176.0.0/12', '2600:6c00::/24'),
    (7018, 'isp', 'att', 'US', '99.0.0.0/10 107.128.0.0/11 108.192.0.0/11 76.192.0.0/11', '2600:1700::/24'),
    (701, 'isp', 'verizon', 'US', '71.160.0.0/11 96.224.0.0/11 108.0.0.0/12 100.0.0.0/11', '2600:4040::/28'),
    (22773, 'isp', 'cox', 'US', '68.96.0.0/12 70.160.0.0/11 98.160.0.0/12', '2600:8800::/24'),
    (2856, 'isp', 'bt', 'GB', '81.128.0.0/11 86.128.0.0/10 109.144.0.0/12', '2a00:23c0::/29'),
    (5089, 'isp', 'virgin', 'GB', '82.0.0.0/12 86.0.0.0/12 92.232.0.0/13', ''),
    (5607, 'isp', 'sky', 'GB', '2.96.0.0/12 90.192.0.0/11 5.64.0.0/13', '2a02:c78::/29'),
    (3320, 'isp', 'dtag', 'DE', '79.192.0.0/10 87.128.0.0/10 91.0.0.0/10 93.192.0.0/10', '2003::/19'),
    (3209, 'isp', 'vodafone-de', 'DE', '88.64.0.0/12 94.134.0.0/15 178.0.0.0/13', '2a02:8100::/26'),
    (3215, 'isp', 'orange', 'FR', '90.0.0.0/9 86.192.0.0/11 92.128.0.0/11', '2a01:cb00::/24'),
    (12322, 'isp', 'free', 'FR', '78.192.0.0/10 82.64.0.0/13 88.160.0.0/11', '2a01:e00::/26'),
    (3352, 'isp', 'telefonica', 'ES', '83.32.0.0/11 88.0.0.0/11 81.32.0.0/11', ''),
    (3269, 'isp', 'tim', 'IT', '79.0.0.0/11 87.0.0.0/12 93.32.0.0/11', ''),
    (1136, 'isp', 'kpn', 'NL', '77.160.0.0/11 84.24.0.0/13', '2a02:a400::/26'),
    (5617, 'isp', 'orange-pl', 'PL', '83.0.0.0/11 89.64.0.0/12', ''),
    (24560, 'isp', 'airtel', 'IN', '122.160.0.0/12 182.64.0.0/12 223.176.0.0/12', ''),
    (55836, 'isp', 'jio-fiber', 'IN', '49.32.0.0/11', '2405:201::/32'),
    (24309, 'isp', 'act', 'IN', '106.51.0.0/16 106.206.0.0/15', ''),
    (28573, 'isp', 'claro-br', 'BR', '177.0.0.0/11 189.0.0.0/11 179.208.0.0/12', ''),
    (18881, 'isp', 'vivo', 'BR', '177.128.0.0/11 187.0.0.0/11 191.176.0.0/12', '2804:14c::/32'),
    (4713, 'isp', 'ocn', 'JP', '114.144.0.0/12 153.128.0.0/10 180.0.0.0/11', ''),
    (17676, 'isp', 'softbank', 'JP', '126.0.0.0/8', '2400:2410::/28'),
    (4766, 'isp', 'kt', 'KR', '121.128.0.0/11 175.192.0.0/11 211.192.0.0/11', ''),
    (9318, 'isp', 'skb', 'KR', '1.224.0.0/11 58.224.0.0/11', ''),
    (812, 'isp', 'rogers', 'CA', '99.224.0.0/11 174.112.0.0/12', '2607:fea8::/32'),
    (577, 'isp', 'bell', 'CA', '70.24.0.0/13 142.112.0.0/12 76.64.0.0/13', ''),
    (1221, 'isp', 'telstra', 'AU', '58.160.0.0/11 101.160.0.0/11 121.200.0.0/13', '2001:8003::/32'),
    (4804, 'isp', 'optus', 'AU', '49.176.0.0/12 110.174.0.0/15', ''),
    (8151, 'isp', 'telmex', 'MX', '187.128.0.0/11 189.128.0.0/11 201.96.0.0/11', ''),
    (9506, 'isp', 'singtel', 'SG', '116.86.0.0/15 118.200.0.0/13', ''),
    (7552, 'isp', 'viettel', 'VN', '27.64.0.0/12 171.224.0.0/11', ''),
    (45899, 'isp', 'vnpt', 'VN', '14.160.0.0/11 113.160.0.0/11', ''),
    (7713, 'isp', 'telkom', 'ID', '36.64.0.0/11 180.240.0.0/13', ''),
    (9299, 'isp', 'pldt', 'PH', '112.198.0.0/15 124.104.0.0/13 49.144.0.0/13', ''),
    (9121, 'isp', 'ttnet', 'TR', '78.160.0.0/11 88.224.0.0/11', ''),
    (36873, 'isp', 'airtel-ng', 'NG', '102.88.0.0/16 105.112.0.0/12', ''),
    (8452, 'isp', 'tedata', 'EG', '41.32.0.0/12 156.192.0.0/11', ''),
    (17557, 'isp', 'ptcl', 'PK', '39.32.0.0/11 119.152.0.0/13', ''),
    (33771, 'isp', 'safaricom', 'KE', '105.160.0.0/12', ''),
    # mobile carriers (CGNAT)
    (21928, 'mobile', 'tmobile', 'US', '172.32.0.0/11', '2607:fb90::/32'),
    (22394, 'mobile', 'vzw', 'US', '174.192.0.0/10', '2600:1000::/24'),
    (20057, 'mobile', 'att-mob', 'US', '166.128.0.0/9', '2600:380::/28'),
    (12576, 'mobile', 'ee', 'GB', '92.40.0.0/14', ''),
    (25135, 'mobile', 'vodafone-uk', 'GB', '82.132.0.0/16', ''),
    (6805, 'mobile', 'o2-de', 'DE', '176.0.0.0/13', ''),
    (45609, 'mobile', 'airtel-mob', 'IN', '106.192.0.0/11', '2401:4900::/32'),
    (55836, 'mobile', 'jio', 'IN', '157.32.0.0/12', '2409:4000::/22'),
    (26599, 'mobile', 'vivo-mob', 'BR', '191.240.0.0/12', ''),
    (28403, 'mobile', 'telcel', 'MX', '189.240.0.0/13', ''),
    (9605, 'mobile', 'docomo', 'JP', '1.72.0.0/13 49.96.0.0/12', ''),
    (132199, 'mobile', 'globe', 'PH', '112.200.0.0/13', ''),
    (23693, 'mobile', 'telkomsel', 'ID', '114.120.0.0/13', ''),
    (29465, 'mobile', 'mtn-ng', 'NG', '102.89.0.0/16', ''),
    (16135, 'mobile', 'turkcell', 'TR', '88.240.0.0/13', ''),
    (33771, 'mobile', 'safaricom-mob', 'KE', '197.176.0.0/13', ''),
    # clouds
    (16509, 'cloud', 'aws', 'US', '3.208.0.0/12 18.208.0.0/13 34.192.0.0/12 52.0.0.0/11 54.144.0.0/12 3.248.0.0/13@IE '
     '18.184.0.0/15@DE 13.208.0.0/13@JP 13.228.0.0/15@SG 3.104.0.0/14@AU 15.228.0.0/15@BR 13.232.0.0/14@IN',
     '2600:1f00::/24'),
    (396982, 'cloud', 'gcp', 'US', '34.64.0.0/10 35.184.0.0/13 34.140.0.0/16@BE 35.198.0.0/16@DE 34.84.0.0/16@JP '
     '35.240.0.0/15@SG', '2600:1900::/28'),
    (8075, 'cloud', 'azure', 'US', '20.0.0.0/11 40.64.0.0/10 52.224.0.0/11 20.50.0.0/16@NL 51.104.0.0/15@GB '
     '20.43.0.0/16@SG', ''),
    (14061, 'cloud', 'digitalocean', 'US', '134.209.0.0/16 159.65.0.0/16 167.99.0.0/16 138.68.0.0/16 '
     '64.225.0.0/16@NL 165.22.0.0/16@SG 143.198.0.0/16', '2604:a880::/32'),
    (24940, 'cloud', 'hetzner', 'DE', '88.198.0.0/16 95.216.0.0/15@FI 116.202.0.0/15 65.108.0.0/15@FI 5.9.0.0/16 '
     '49.12.0.0/16 5.161.0.0/16@US', '2a01:4f8::/29'),
    (16276, 'cloud', 'ovh', 'FR', '51.75.0.0/16 137.74.0.0/16 145.239.0.0/16@PL 54.36.0.0/14 51.222.0.0/16@CA '
     '139.99.0.0/16@SG', '2001:41d0::/32'),
    (63949, 'cloud', 'linode', 'US', '45.33.0.0/17 172.104.0.0/15@DE 139.162.0.0/16@JP 50.116.0.0/18',
     '2600:3c00::/27'),
    (20473, 'cloud', 'vultr', 'US', '45.32.0.0/16 45.63.0.0/17 149.28.0.0/16 207.148.0.0/17@SG 108.61.0.0/16@NL',
     '2001:19f0::/32'),
    (31898, 'cloud', 'oracle', 'US', '129.146.0.0/16 132.145.0.0/16@GB 150.136.0.0/16 152.67.0.0/16@IN', ''),
    (45102, 'cloud', 'alibaba', 'SG', '47.74.0.0/15 47.88.0.0/14@US 8.208.0.0/12@GB 47.245.0.0/16@JP', ''),
    (132203, 'cloud', 'tencent', 'SG', '43.153.0.0/16 119.28.0.0/15@HK', ''),
    # hosting used by VPN / proxy providers
    (9009, 'hosting', 'm247', 'GB', '37.120.128.0/17 146.70.0.0/17@NL 146.70.128.0/17@US 89.44.192.0/18@RO '
     '185.156.172.0/22@SE 193.27.12.0/22@CH', '2a0d:5600::/29'),
    (60068, 'hosting', 'datacamp', 'DE', '89.187.160.0/19 138.199.0.0/17@US 185.152.64.0/22@CZ 143.244.40.0/21@US '
     '156.146.32.0/19@SG', ''),
    (60781, 'hosting', 'leaseweb', 'NL', '212.32.224.0/19 37.48.64.0/18 23.105.128.0/17@US', ''),
    (13335, 'hosting', 'cloudflare', 'US', '104.28.0.0/17 172.71.0.0/16 104.28.128.0/17@DE', '2a09:bac0::/29'),
    (21859, 'hosting', 'zenlayer', 'US', '98.98.0.0/16 128.1.0.0/16@SG 156.59.0.0/16@HK', ''),
    (147049, 'hosting', 'packethub', 'US', '64.64.96.0/19 185.248.16.0/22@GB', ''),
    (62044, 'secgw', 'zscaler', 'US', '165.225.0.0/17 147.161.128.0/17@GB 136.226.0.0/16@DE 165.225.192.0/18@IN', ''),
    # business transit
    (3356, 'biz', 'lumen', 'US', '4.0.0.0/9 63.208.0.0/12 8.30.0.0/15', ''),
    (6461, 'biz', 'zayo', 'US', '64.125.0.0/16 208.185.0.0/16', ''),
    (174, 'biz', 'cogent', 'US', '38.0.0.0/9 38.128.0.0/9', ''),
    (7922, 'biz', 'comcast-biz', 'US', '50.192.0.0/10 173.8.0.0/13', ''),
    (2856, 'biz', 'bt-biz', 'GB', '81.144.0.0/12 62.6.0.0/15', ''),
    (3320, 'biz', 'dtag-biz', 'DE', '217.0.0.0/13 80.128.0.0/11', ''),
    (3215, 'biz', 'orange-biz', 'FR', '193.248.0.0/14', ''),
    (2914, 'biz', 'ntt', 'JP', '129.250.0.0/16 61.112.0.0/12', ''),
    (9498, 'biz', 'airtel-biz', 'IN', '125.16.0.0/13 59.144.0.0/12', ''),
    (6453, 'biz', 'tata', 'SG', '180.87.0.0/16 64.86.0.0/16@US', ''),
    (4230, 'biz', 'claro-biz', 'BR', '200.160.0.0/13', ''),
]]
ISP_BY_CC = {}
MOB_BY_CC = {}
BIZ_BY_CC = {}
for _n in NETS:
    {'isp': ISP_BY_CC, 'mobile': MOB_BY_CC, 'biz': BIZ_BY_CC}.get(_n.kind, {}).setdefault(_n.cc, []).append(_n)
CLOUDS = [n for n in NETS if n.kind == 'cloud']
CLOUD_W = Cum(CLOUDS, [30, 18, 14, 9, 8, 6, 4, 4, 3, 2, 2])
HOSTING = [n for n in NETS if n.kind == 'hosting']
ZSCALER = [n for n in NETS if n.kind == 'secgw'][0]
NET_BY = {n.name: n for n in NETS}

UNIS = [  # e-mail domain, asn, campus prefix, cc, tz
    ('berkeley.edu', 25, '128.32.0.0/16', 'US', -8), ('cmu.edu', 9, '128.2.0.0/16', 'US', -5),
    ('utexas.edu', 18, '128.83.0.0/16', 'US', -6), ('illinois.edu', 38, '130.126.0.0/16', 'US', -6),
    ('uw.edu', 73, '128.95.0.0/16', 'US', -8), ('umich.edu', 36375, '141.211.0.0/16', 'US', -5),
    ('gatech.edu', 2637, '128.61.0.0/16', 'US', -5), ('asu.edu', 2150, '129.219.0.0/16', 'US', -7),
    ('ox.ac.uk', 786, '129.67.0.0/16', 'GB', 0), ('ucl.ac.uk', 786, '128.40.0.0/16', 'GB', 0),
    ('tum.de', 12816, '129.187.0.0/16', 'DE', 1), ('utoronto.ca', 239, '128.100.0.0/16', 'CA', -5),
    ('unimelb.edu.au', 7575, '128.250.0.0/16', 'AU', 10), ('nus.edu.sg', 7472, '137.132.0.0/16', 'SG', 8),
    ('iitb.ac.in', 132423, '103.21.124.0/22', 'IN', 5.5), ('usp.br', 28571, '143.107.0.0/16', 'BR', -3),
    ('kaist.ac.kr', 1781, '143.248.0.0/16', 'KR', 9), ('u-tokyo.ac.jp', 2907, '133.11.0.0/16', 'JP', 9),
]

# payment BINs (fixed tables: real issuers don't change per world)
_TR = random.Random(7)
ORD_BINS = []
for _i in range(420):
    _k = _TR.random()
    if _k < .55:
        ORD_BINS.append('4' + '%05d' % _TR.randrange(100000))
    elif _k < .88:
        ORD_BINS.append(str(_TR.randint(51, 55)) + '%04d' % _TR.randrange(10000))
    elif _k < .95:
        ORD_BINS.append(str(_TR.randint(2221, 2720)) + '%02d' % _TR.randrange(100))
    else:
        ORD_BINS.append(_TR.choice(['34', '37']) + '%04d' % _TR.randrange(10000))
ORD_BIN_CUM = Cum(ORD_BINS, [1.0 / (i + 1) ** 0.8 for i in range(len(ORD_BINS))])
PREPAID_BINS = ['4' + '%05d' % _TR.randrange(100000) for _ in range(22)] + \
               [str(_TR.randint(51, 53)) + '%04d' % _TR.randrange(10000) for _ in range(8)]
CORP_BINS = ['37' + '%04d' % _TR.randrange(10000) for _ in range(10)] + \
            ['4' + '%05d' % _TR.randrange(100000) for _ in range(20)] + ['55' + '%04d' % _TR.randrange(10000) for _ in range(10)]

# TLS stacks -> JA4-like fingerprints (shared by every client built on that stack)
_TS = random.Random(4242)
STACKS = {}
for _name, _head, _k in [('chrome', 't13d1516h2', 2), ('firefox', 't13d1715h2', 2), ('safari', 't13d2014h2', 2),
                         ('ios', 't13d2013h2', 2), ('py3', 't13d5911h1', 3), ('py11', 't13d4412h1', 1),
                         ('node', 't13d5211h1', 3), ('go', 't13d1311h2', 2), ('curl', 't13d3112h2', 2),
                         ('curlmac', 't13d2612h2', 1), ('okhttp', 't13d1413h2', 1), ('java', 't13d4413h2', 2),
                         ('rustls', 't13d0910h2', 1), ('bun', 't13d1812h1', 1)]:
    STACKS[_name] = ['%s_%012x_%012x' % (_head, _TS.getrandbits(48), _TS.getrandbits(48)) for _ in range(_k)]

V = {
    'opy': '1.3.7 1.12.0 1.30.1 1.35.13 1.40.6 1.47.1 1.51.2 1.54.4 1.57.0 1.59.7 1.61.1 1.68.2 1.75.0 1.82.0 1.93.0 1.97.1',
    'apy': '0.18.1 0.25.9 0.31.2 0.34.2 0.39.0 0.42.0 0.45.2 0.49.0 0.52.0 0.57.1 0.60.0',
    'ojs': '4.20.1 4.28.0 4.52.7 4.67.3 4.77.0 4.85.1 4.96.0 5.3.0 5.10.1',
    'ajs': '0.16.1 0.24.3 0.32.1 0.36.3 0.39.0 0.50.4 0.56.0',
    'lc': '0.1.20 0.2.16 0.3.7 0.3.15 0.3.25', 'll': '1.40.21 1.52.0 1.61.3 1.67.0 1.72.6',
    'curl': '7.68.0 7.81.0 7.88.1 8.4.0 8.5.0 8.7.1 8.11.1', 'req': '2.25.1 2.28.2 2.31.0 2.32.3',
    'httpx': '0.24.1 0.25.2 0.27.0 0.28.1', 'aio': '3.8.6 3.9.5 3.10.10 3.11.18',
    'chrome': '120 122 124 126 128 129 130 131 132 133 134 135 136 137 138',
    'ff': '115 121 125 128 131 133 135 137 139', 'saf': '16.6 17.2 17.4 17.6 18.1 18.3 18.5',
    'ios': '16_7 17_4 17_5 17_6 18_0 18_1 18_3 18_5', 'android': '10 11 12 13 14 15',
    'aider': '0.62.1 0.70.0 0.75.2 0.82.1 0.85.1', 'cline': '3.2.0 3.8.4 3.13.1 3.17.9 3.20.0',
    'roo': '3.11.2 3.16.0 3.19.3 3.22.6', 'cont': '0.9.240 1.0.8 1.1.26', 'oc': '0.1.98 0.2.33 0.3.12',
    'zed': '0.182.4 0.190.5 0.196.2', 'ccli': '1.0.17 1.0.35 1.0.58 1.0.83',
    'app': '1.8.2 2.0.1 2.3.4 2.4.0 3.1.2', 'java': '11.0.22 17.0.9 21.0.2', 'okhttp': '4.9.3 4.11.0 4.12.0',
}
V = {k: v.split() for k, v in V.items()}


class Client:
    __slots__ = ('ua', 'tls', 'ep', 'sdk', 'fam', 'tools')

    def __init__(self, ua, tls, ep, sdk, fam, tools=0):
        self.ua, self.tls, self.ep, self.sdk, self.fam, self.tools = ua, tls, ep, sdk, fam, tools


def _vpick(r, key, newer=1.0):
    lst = V[key]
    # newer versions more popular
    i = min(len(lst) - 1, int(len(lst) * (r.random() ** (1.0 / (1.0 + newer)))))
    return lst[i]


def mk_client(r, fam, ep=None):
    if fam == 'openai-py':
        return Client('OpenAI/Python ' + _vpick(r, 'opy'), r.choice(STACKS['py3'] + STACKS['py11'][:1]),
                      ep or ('responses' if r.random() < .18 else 'chat.completions'), True, fam)
    if fam == 'anthropic-py':
        return Client('Anthropic/Python ' + _vpick(r, 'apy'), r.choice(STACKS['py3'] + STACKS['py11'][:1]),
                      ep or 'messages', True, fam)
    if fam == 'openai-js':
        return Client('OpenAI/JS ' + _vpick(r, 'ojs'), r.choice(STACKS['node']), ep or 'chat.completions', True, fam)
    if fam == 'anthropic-js':
        return Client('Anthropic/JS ' + _vpick(r, 'ajs'), r.choice(STACKS['node']), ep or 'messages', True, fam)
    if fam == 'langchain':
        return Client('langchain/' + _vpick(r, 'lc'), r.choice(STACKS['py3']),
                      ep or r.choice(['chat.completions', 'messages']), True, fam)
    if fam == 'litellm':
        return Client('litellm/' + _vpick(r, 'll'), r.choice(STACKS['py3']),
                      ep or r.choice(['chat.completions', 'messages']), True, fam)
    if fam == 'httpx':
        return Client('python-httpx/' + _vpick(r, 'httpx'), r.choice(STACKS['py3']),
                      ep or r.choice(['chat.completions', 'messages']), False, fam)
    if fam == 'requests':
        return Client('python-requests/' + _vpick(r, 'req'), r.choice(STACKS['py3'] + STACKS['py11']),
                      ep or r.choice(['chat.completions', 'messages', 'completions']), False, fam)
    if fam == 'aiohttp':
        return Client('Python/3.%d aiohttp/%s' % (r.choice([9, 10, 11, 12]), _vpick(r, 'aio')), r.choice(STACKS['py3']),
                      ep or 'chat.completions', False, fam)
    if fam == 'curl':
        mac = r.random() < .3
        return Client('curl/' + _vpick(r, 'curl'), r.choice(STACKS['curlmac'] if mac else STACKS['curl']),
                      ep or r.choice(['chat.completions', 'messages']), False, fam)
    if fam == 'go':
        return Client(r.choice(['Go-http-client/2.0', 'Go-http-client/2.0', 'Go-http-client/1.1']), r.choice(STACKS['go']),
                      ep or r.choice(['chat.completions', 'messages']), False, fam)
    if fam == 'java':
        return Client('Java-http-client/' + r.choice(V['java']), r.choice(STACKS['java']), ep or 'chat.completions', False, fam)
    if fam == 'okhttp':
        return Client('okhttp/' + r.choice(V['okhttp']), STACKS['okhttp'][0], ep or 'chat.completions', False, fam)
    agents = {'aider': ('aider/', 'aider', 'py3', 0), 'cline': ('Cline/', 'cline', 'node', 14),
              'roo': ('Roo-Code/', 'roo', 'node', 18), 'continue': ('Continue/', 'cont', 'node', 9),
              'opencode': ('opencode/', 'oc', 'bun', 12), 'zed': ('Zed/', 'zed', 'rustls', 10),
              'claude-cli': ('claude-cli/', 'ccli', 'node', 16)}
    if fam in agents:
        pre, vk, st, nt = agents[fam]
        ua = pre + _vpick(r, vk) + (' (external, cli)' if fam == 'claude-cli' else '')
        return Client(ua, r.choice(STACKS[st]), ep or ('messages' if fam in ('claude-cli', 'zed') or r.random() < .5
                                                        else 'chat.completions'), True, fam, nt)
    return mk_browser(r, fam, ep)


def mk_browser(r, fam, ep=None, tls=None):
    ep = ep or ('messages' if r.random() < .5 else 'chat.completions')
    if fam in ('chrome-win', 'chrome-mac', 'chrome-linux', 'edge', 'chrome-android'):
        v = int(_vpick(r, 'chrome', 1.5))
        plat = {'chrome-win': 'Windows NT 10.0; Win64; x64', 'edge': 'Windows NT 10.0; Win64; x64',
                'chrome-mac': 'Macintosh; Intel Mac OS X 10_15_7', 'chrome-linux': 'X11; Linux x86_64',
                'chrome-android': 'Linux; Android %s; K' % r.choice(V['android'])}[fam]
        mob = ' Mobile' if fam == 'chrome-android' else ''
        ua = 'Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0%s Safari/537.36' % (plat, v, mob)
        if fam == 'edge':
            ua += ' Edg/%d.0.0.0' % v
        return Client(ua, tls or STACKS['chrome'][0 if v < 131 else 1], ep, False, fam)
    if fam in ('firefox-win', 'firefox-mac', 'firefox-linux'):
        v = int(_vpick(r, 'ff', 1.5))
        plat = {'firefox-win': 'Windows NT 10.0; Win64; x64', 'firefox-mac': 'Macintosh; Intel Mac OS X 10.15',
                'firefox-linux': 'X11; Ubuntu; Linux x86_64'}[fam]
        return Client('Mozilla/5.0 (%s; rv:%d.0) Gecko/20100101 Firefox/%d.0' % (plat, v, v),
                      tls or STACKS['firefox'][0 if v < 130 else 1], ep, False, fam)
    if fam == 'safari-mac':
        v = _vpick(r, 'saf', 1.5)
        return Client('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) '
                      'Version/%s Safari/605.1.15' % v, tls or STACKS['safari'][0 if v < '18' else 1], ep, False, fam)
    if fam == 'safari-ios':
        v = _vpick(r, 'ios', 1.5)
        return Client('Mozilla/5.0 (iPhone; CPU iPhone OS %s like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) '
                      'Version/%s Mobile/15E148 Safari/604.1' % (v, v.replace('_', '.')),
                      tls or STACKS['ios'][0 if v < '18' else 1], ep, False, fam)
    if fam == 'app-ios':
        name = r.choice(['PocketChat', 'Chatly', 'AskPad', 'TypeMind', 'Promptly'])
        v = _vpick(r, 'ios', 1.5)
        return Client('%s/%s CFNetwork/%s Darwin/%s' % (name, r.choice(V['app']), r.choice(['1410.0.3', '1494.0.7', '1568.100.1']),
                                                        r.choice(['22.6.0', '23.4.0', '24.1.0'])),
                      tls or STACKS['ios'][0 if v < '18' else 1], ep, False, fam)
    if fam == 'app-android':
        name = r.choice(['PocketChat', 'Chatly', 'AskPad', 'TypeMind', 'Promptly'])
        return Client('%s/%s (Android %s; okhttp/4.12.0)' % (name, r.choice(V['app']), r.choice(V['android'])),
                      tls or STACKS['okhttp'][0], ep, False, fam)
    raise ValueError(fam)


CONSUMER_FAM = Cum(['chrome-win', 'chrome-mac', 'safari-mac', 'firefox-win', 'firefox-mac', 'edge', 'chrome-android',
                    'safari-ios', 'app-ios', 'app-android', 'chrome-linux', 'firefox-linux'],
                   [30, 16, 8, 5, 2, 8, 8, 8, 5, 4, 3, 1])
MOBILE_FAM = Cum(['chrome-android', 'safari-ios', 'app-ios', 'app-android'], [35, 35, 16, 14])
DEV_FAM = Cum(['openai-py', 'anthropic-py', 'openai-js', 'anthropic-js', 'langchain', 'litellm', 'httpx', 'requests',
               'curl', 'go', 'java', 'aiohttp'], [30, 24, 11, 8, 6, 5, 3, 4, 3, 3, 1, 2])
AGENT_FAM = Cum(['claude-cli', 'cline', 'roo', 'aider', 'continue', 'opencode', 'zed'], [30, 20, 12, 14, 8, 8, 8])
SERVER_FAM = Cum(['openai-py', 'anthropic-py', 'openai-js', 'anthropic-js', 'go', 'java', 'litellm', 'httpx'],
                 [30, 24, 14, 10, 8, 4, 6, 4])
BROWSERS = ['chrome-win', 'chrome-mac', 'edge', 'firefox-win', 'safari-mac', 'chrome-linux']

# models of the (fictional) provider
MODELS = {
    'lyra-2.5': dict(ceil=4096, speed=90, think=False),
    'lyra-3-mini': dict(ceil=16384, speed=150, think=False),
    'lyra-3': dict(ceil=32000, speed=85, think=True),
    'lyra-3-large': dict(ceil=32000, speed=48, think=True),
    'lyra-4': dict(ceil=64000, speed=62, think=True),
    'lyra-embed-2': dict(ceil=0, speed=5000, think=False),
}
ALIASES = {'lyra-2.5': ['lyra-2.5', 'lyra-2.5-20240910'], 'lyra-3-mini': ['lyra-3-mini', 'lyra-3-mini-20250612'],
           'lyra-3': ['lyra-3', 'lyra-3-20250612', 'lyra-3-latest'], 'lyra-3-large': ['lyra-3-large', 'lyra-3-large-20250701'],
           'lyra-embed-2': ['lyra-embed-2']}
MODEL_BASE = {}
for _b, _al in ALIASES.items():
    for _a in _al:
        MODEL_BASE[_a] = _b

TASK_OUT = {  # median output tokens, sigma
    'chat': (300, .8), 'code': (520, .75), 'math': (230, .5), 'reason': (380, .6), 'mcq': (3, .5),
    'tool': (120, .7), 'agent': (150, .9), 'write': (650, .6), 'summ': (170, .5), 'short': (6, .6),
    'extract': (90, .6), 'followup': (420, .7), 'gen': (1100, .35), 'translate': (0, 0), 'probe': (1, 0),
}
THINK_MULT = {'math': 1.6, 'reason': 1.4, 'code': 1.3, 'agent': .6, 'tool': .6, 'chat': .8, 'short': .2, 'mcq': 1.0}


# ----------------------------------------------------------------------------- prompt corpora and text
CODE_RE = re.compile(r'\b(python|javascript|typescript|java|code|function|sql|react|api|bug|error|c\+\+|script|regex|'
                     r'html|css|docker|git|rust|golang|class|compile)\b', re.I)
WORK_RE = re.compile(r'\b(email|report|customer|marketing|sales|meeting|project|business|strategy|product|client|'
                     r'proposal|presentation|excel|budget|team|manager|linkedin|campaign|contract|policy|company)\b', re.I)
LANGS = ['Spanish', 'French', 'German', 'Chinese', 'Japanese', 'Korean', 'Portuguese', 'Arabic', 'Hindi', 'Russian',
         'Italian', 'Vietnamese', 'Turkish', 'Indonesian', 'Polish', 'Dutch']


class Corpora:
    def __init__(self, d):
        self.dir = d

        def load(n):
            with gzip.open(os.path.join(d, n + '.jsonl.gz'), 'rt', encoding='utf-8') as f:
                return [json.loads(l) for l in f if l.strip()]
        self.sg = [t for t in ([x for x in r.get('turns', []) if x and x.strip()] for r in load('benign-sharegpt')) if t]
        self.sg_code = [t for t in self.sg if CODE_RE.search(t[0][:800])]
        self.sg_work = [t for t in self.sg if WORK_RE.search(t[0][:800])]
        self.sg_long = [t for t in self.sg if len(t) >= 6]
        self.oasst = [r['text'] for r in load('benign-oasst') if r.get('text')]
        self.dolly = [r['text'] for r in load('benign-dolly') if r.get('text')]
        self.arena = [r['text'] for r in load('benign-arena-hard') if r.get('text')]
        self.arena_code = [t for t in self.arena if CODE_RE.search(t)]
        self.hh = [r['turns'] for r in load('benign-hh-rlhf') if r.get('turns')]
        gt = load('distill-gpteacher')
        self.gt_code = [r['text'] for r in gt if r['source'].endswith('codegen')]
        self.gt_role = [r['text'] for r in gt if r['source'].endswith('roleplay')]
        self.gt_tool = [r['text'] for r in gt if r['source'].endswith('toolformer')]
        self.calpaca = [r['text'] for r in load('distill-codealpaca')]
        self.selfi = [r['text'] for r in load('distill-self-instruct')]
        self.ultra = [r['text'] for r in load('distill-ultrachat-eval')]
        self.heval = [r['text'] for r in load('distill-humaneval')]
        gsm = load('distill-gsm8k')
        self.gsm = [r['text'] for r in gsm]
        self.gsm_shots = [(r['text'], r['answer']) for r in gsm[:8]]
        self.mmlu = [(r['question'], r['choices'], r['subject'], r['answer']) for r in load('distill-mmlu')]
        self.mmlu_subj = {}
        for i, m in enumerate(self.mmlu):
            self.mmlu_subj.setdefault(m[2], []).append(i)
        self.wiz = [(r['text'], r.get('skill', '')) for r in load('distill-wizardlm')]
        self.mtb = [r['turns'] for r in load('distill-mt-bench')]
        p = os.path.join(d, 'alpaca-generation-prompt.txt')
        self.alpaca_gen = open(p, encoding='utf-8').read() if os.path.exists(p) else None
        self.singles_c = Cum([self.oasst, self.dolly, self.arena], [2, 5, 1])
        self._pools = {}

    def mmlu_plain(self, i, style=0):
        q, ch, _, _ = self.mmlu[i]
        if style == 0:
            return q + '\n\n' + '\n'.join('%s) %s' % (L, c) for L, c in zip('ABCD', ch))
        return q + '\n' + '\n'.join('%s. %s' % (L, c) for L, c in zip('ABCD', ch))

    def pool(self, cap):
        """capability pools used by harvesters: list of (turns, task, tools)"""
        if cap in self._pools:
            return self._pools[cap]
        r = random.Random(hash_int(cap))
        P = []
        if cap == 'coding':
            P = [([t], 'code', 0) for t in self.calpaca + self.gt_code + self.heval] + \
                [([t], 'code', 0) for t, s in self.wiz if s.startswith('Code') or s == 'Computer Science']
        elif cap == 'math':
            P = [([t], 'math', 0) for t in self.gsm] + [([t], 'math', 0) for t, s in self.wiz if s == 'Math']
        elif cap == 'reasoning':
            P = [([self.mmlu_plain(i, i % 2)], 'reason', 0) for i in range(len(self.mmlu))] + \
                [([t], 'reason', 0) for t, s in self.wiz if s in ('Reasoning', 'Common-Sense', 'Counterfactual',
                                                                  'TruthfulQA', 'Physics', 'Chemistry', 'Biology')]
        elif cap == 'agentic':
            P = [([t], 'tool', 1 + (i % 5)) for i, t in enumerate(self.gt_tool)]
        elif cap == 'writing':
            P = [([t], 'write', 0) for t in self.gt_role + self.selfi + self.ultra] + \
                [(list(t), 'write', 0) for t in self.mtb] + \
                [([t], 'write', 0) for t, s in self.wiz if s in ('Writting', 'Academic Writing', 'Roleplay', 'Literature')]
        elif cap == 'multilingual':
            base = self.dolly[:2500] + self.selfi
            for t in base:
                lang = r.choice(LANGS)
                k = r.random()
                if k < .4:
                    P.append((['Translate the following into %s:\n\n%s' % (lang, t)], 'translate', 0))
                elif k < .8:
                    P.append((['Answer in %s. %s' % (lang, t)], 'write', 0))
                else:
                    P.append((['%s\n\n(Please respond in %s.)' % (t, lang)], 'write', 0))
            P += [([t], 'write', 0) for t, s in self.wiz if s == 'Multilingual']
        elif cap == 'selfinstruct':
            seeds = self.selfi
            for i in range(400):
                ex = r.sample(seeds, 3)
                body = (self.alpaca_gen or 'Come up with a series of 20 diverse task instructions.').rstrip() + '\n'
                body += ''.join('\n###\n%d. Instruction: %s' % (j + 1, e.split('\n')[0][:200]) for j, e in enumerate(ex))
                P.append(([body], 'gen', 0))
        elif cap == 'replay':
            P = [(list(t), 'chat', 0) for t in self.sg] + [([t], 'chat', 0) for t in self.oasst + self.dolly + self.arena]
        self._pools[cap] = P
        return P


def hash_int(s):
    return int(hashlib.sha256(s.encode()).hexdigest()[:12], 16)


HUMAN_FOLLOW = ["thanks! can you make it shorter?", "can you give me an example?", "what do you mean by that?",
                "Can you explain that more simply?", "rewrite it in a more formal tone", "thank you!",
                "that doesn't work, I get an error", "Can you put that in a table?", "more detail on the second point please",
                "why?", "are you sure?", "ok, and what about the cost?", "can you translate that to spanish",
                "make it funnier", "hmm not quite what I meant. I want it for a 10 year old", "continue",
                "Can you expand on that?", "what are the pros and cons?", "ok thanks. one more question: how long does it take?",
                "can you write it as bullet points", "explain further", "give me 3 more options", "perfect, thanks",
                "What would you recommend?", "shorter please", "Can you double check that?"]
CAMP_FOLLOW = ["continue", "Continue.", "Please continue.", "Explain further.", "Can you explain that in more detail?",
               "Elaborate on the second step.", "Why is that the case?", "Now verify your answer step by step.",
               "Can you solve it a different way?", "Go deeper into the reasoning.", "What are the edge cases?",
               "Rewrite the solution more rigorously.", "Summarize the key idea.", "Give another example.",
               "Explain it as if to a beginner.", "go on", "more detail please", "Why? Explain each step.",
               "Double-check your reasoning and correct any mistakes.", "Can you expand on that?"]
COT_PHRASES = ["Let's think step by step.", "Think step by step.", "Show your reasoning before giving the final answer.",
               "Explain your reasoning step by step, then give the answer.", "Walk me through your thought process in detail.",
               "Please reason carefully and show every intermediate step.", "Break the problem down and solve it step by step.",
               "Let's work this out in a step by step way to be sure we have the right answer.",
               "Before answering, write out your full chain of reasoning.", "Explain each step of your thinking.",
               "Show all your work.", "Provide a detailed explanation of how you arrive at the answer.",
               "Think carefully and explain your logic at each step.", "Reason through this thoroughly before answering.",
               "First explain your reasoning, then state the final answer on its own line.",
               "Give a step-by-step solution.", "Describe your thought process as you solve this.",
               "Please think out loud and show all reasoning steps.", "Justify each step of your answer.",
               "Solve this step by step and explain why each step is valid."]
COT_OPEN = ['', '', 'Please ', 'Kindly ', 'Before answering, ', 'Important: ', 'Note: ', 'First, ', 'In your response, ',
            'I want you to ', 'Make sure to ', 'Remember to ']
COT_CORE = ['think step by step', 'reason through the problem step by step', 'show your full reasoning',
            'walk through your reasoning in detail', 'explain each step of your thinking', 'lay out your chain of thought',
            'work through this carefully, one step at a time', 'write out every intermediate step',
            'break the problem down and reason about each part', 'explain your thought process thoroughly',
            'show your work in detail', 'reason it out explicitly', 'think it through out loud',
            'go through the logic step by step']
COT_TAIL = ['.', ' before giving the final answer.', ', then state your final answer.', ', and put the final answer on its own line.',
            '. Be thorough.', ' and double-check your work.', ', then summarize the answer at the end.', '!', '. Take your time.']
REASON_SYS = ["You are an expert problem solver. Always reason step by step and show all of your work before giving a final answer.",
              "You are a helpful assistant. For every request, first think through the problem in detail, then give your answer.",
              "Respond with a detailed, rigorous explanation. Include your complete reasoning process.",
              "You are a world-class teacher. Explain your reasoning thoroughly so a student could follow every step.",
              "You are a careful analyst. Lay out your chain of thought explicitly, verify each step, and conclude with a clear answer.",
              "Think deeply about each question. Write your reasoning inside <reasoning></reasoning> tags and then the final answer.",
              "You are a senior software engineer and mathematician. Give complete, well-explained, step-by-step solutions.",
              "Answer as comprehensively as possible. Explain the why behind every step."]
GENERIC_SYS = ["You are a helpful assistant.", "You are a helpful, harmless and honest assistant.",
               "You are a knowledgeable assistant. Answer accurately.", "You are ChatBot, a friendly AI assistant."]
SYN = {'write': 'compose', 'explain': 'describe', 'create': 'generate', 'list': 'enumerate', 'give': 'provide',
       'make': 'produce', 'find': 'determine', 'calculate': 'compute', 'show': 'demonstrate', 'use': 'utilize',
       'help': 'assist', 'big': 'large', 'small': 'little', 'quick': 'fast', 'simple': 'basic', 'good': 'great',
       'function': 'method', 'program': 'script', 'answer': 'response', 'question': 'problem', 'describe': 'explain',
       'generate': 'create', 'provide': 'give', 'determine': 'find', 'following': 'below', 'each': 'every',
       'many': 'numerous', 'buy': 'purchase', 'total': 'overall', 'bought': 'purchased', 'gets': 'receives'}
WORD_RE = re.compile(r'[A-Za-z]+')
NUM_RE = re.compile(r'\b\d{1,4}\b')
LEADINS = ['', 'Hi! ', 'Hey, ', 'Quick question: ', 'Please help me with this. ', 'I need help: ', 'Task: ', 'Q: ',
           'Can you help? ', 'Hello. ', 'Question:\n', 'Here is a problem.\n']


def cot_para(r):
    s = r.choice(COT_OPEN) + r.choice(COT_CORE) + r.choice(COT_TAIL)
    return s[0].upper() + s[1:]


def perturb(text, r, strength=0.5, numbers=False):
    """cheap paraphrase: synonym swaps, lead-ins, number nudges, case/punctuation noise"""
    if len(text) < 2500:
        def sw(m):
            w = m.group(0)
            lw = w.lower()
            if lw in SYN and r.random() < strength:
                s = SYN[lw]
                return s.capitalize() if w[0].isupper() else s
            return w
        text = WORD_RE.sub(sw, text)
        if numbers and r.random() < strength:
            def nn(m):
                if r.random() < .35:
                    v = int(m.group(0))
                    return str(max(1, v + r.choice([-2, -1, 1, 2, 3]) * max(1, v // 10)))
                return m.group(0)
            text = NUM_RE.sub(nn, text)
    if r.random() < strength:
        text = r.choice(LEADINS) + (text[0].lower() + text[1:] if r.random() < .3 and text else text)
    if r.random() < strength * .3:
        text = text.rstrip('?.') + r.choice(['', '?', ' ?', '.', '...', ' pls'])
    return text


# ----------------------------------------------------------------------------- accounts
TIER_RPM = {'free': 3, 'tier-1': 50, 'tier-2': 500, 'tier-3': 1000, 'tier-4': 3000, 'scale': 10000}


class Acct:
    __slots__ = ('id', 'created', 'email_domain', 'email_local', 'pay', 'bin', 'signup_ip', 'country', 'org',
                 'verified', 'tier', 'kind', 'campaign', 'keys', 'rpm', 'harvest', 'n')

    def record(self):
        d = {'account_id': self.id, 'created_at': fmt_ts(self.created)}
        # optional fields, omitted when unset (never null)
        for key, value in (('email_domain', self.email_domain), ('email_local', self.email_local),
                           ('payment_fingerprint', self.pay), ('card_bin', self.bin), ('signup_ip', self.signup_ip),
                           ('country', self.country), ('org_id', self.org)):
            if value:
                d[key] = value
        d['verified'] = bool(self.verified)
        d['tier'] = self.tier
        return d


def email_local(r, style=None):
    f, l = r.choice(FIRST), r.choice(LAST)
    k = style if style is not None else r.random()
    if k < .22:
        return '%s.%s' % (f, l)
    if k < .34:
        return f + l
    if k < .42:
        return '%s_%s' % (f, l)
    if k < .52:
        return f[0] + l
    if k < .62:
        return '%s.%s%d' % (f, l, r.choice([r.randint(1, 99), r.randint(70, 99), r.randint(1980, 2006)]))
    if k < .76:
        return '%s%d' % (f, r.randint(1, 9999))
    if k < .84:
        return '%s%s%d' % (f, l[0], r.randint(1, 999))
    if k < .93:
        return '%s%s%s' % (r.choice(NICK), r.choice(NICK + ['']), r.choice(['', str(r.randint(1, 999))]))
    return '%s%s' % (f[:r.randint(1, 3)], l[:r.randint(2, 6)]) + r.choice(['', str(r.randint(1, 99))])


def company_domain(r, cc='US', kind='corp'):
    w1, w2 = r.sample(WORDS, 2)
    tld = {'corp': r.choice(['com', 'com', 'com', COUNTRIES.get(cc, (0, 0, 'com'))[2], 'net', 'co']),
           'startup': r.choice(['io', 'ai', 'dev', 'co', 'app', 'com']), 'personal': r.choice(['com', 'net', 'me', 'org'])}[kind]
    sep = r.choice(['', '', '-'])
    suf = r.choice(['', '', 'labs', 'tech', 'group', 'systems', 'hq', 'ly']) if kind != 'personal' else ''
    return '%s%s%s%s.%s' % (w1, sep, w2, suf, tld)


def freemail(r, cc):
    loc = COUNTRIES.get(cc, (0, 0, 0, []))[3]
    if loc and r.random() < .25:
        return r.choice(loc)
    return FREEMAIL.pick(r)


# ----------------------------------------------------------------------------- networks of individual clients
class HomeNet:
    """a household connection: dynamic IPv4 that changes now and then, sometimes an IPv6 /64"""
    __slots__ = ('ent', 'ip', 'asn', 'cc', 'next', 'mean', 'v6', 'iid', 'v6p')

    def __init__(self, W, r, cc, ent=None, v6p=.3, mean_days=25.0):
        cands = ISP_BY_CC.get(cc) or ISP_BY_CC['US']
        self.ent = ent or r.choice(cands)
        self.mean = mean_days * DAY
        self.ip, self.asn, self.cc = self.ent.ip4(r)
        self.next = W.start + int(r.expovariate(1.0 / self.mean))
        self.v6 = None
        self.v6p = r.uniform(.4, .8)
        if self.ent.v6 and r.random() < v6p:
            self.v6 = self.ent.prefix(r, 64)[0]
            self.iid = r.getrandbits(60)

    def get(self, r, t):
        t = int(t)
        if t >= self.next:
            self.ip = self.ent.ip4(r)[0]
            self.next = t + HOUR + int(r.expovariate(1.0 / self.mean))
        if self.v6 is not None and r.random() < self.v6p:
            return (v6s(self.v6 | ((self.iid * 2654435761 + t // DAY) & 0xffffffffffffffff)), self.asn, self.cc)
        return (self.ip, self.asn, self.cc)


class PoolNet:
    """a fixed pool of egress addresses (office NAT, cloud NAT gateway, CGNAT pool, VPN exits)"""
    __slots__ = ('pool', 'v6', 'asn', 'cc', 'v6p')

    def __init__(self, pool, v6=None, v6p=0.0):
        self.pool = pool
        self.v6 = v6
        self.v6p = v6p
        self.asn = pool[0][1]
        self.cc = pool[0][2]

    def get(self, r, t):
        if self.v6 is not None and r.random() < self.v6p:
            return (v6s(self.v6[0] | r.getrandbits(64)), self.asn, self.v6[1])
        return self.pool[0] if len(self.pool) == 1 else r.choice(self.pool)


def cloud_pool(r, n, ent=None, region_cc=None):
    ent = ent or CLOUD_W.pick(r)
    idx = None
    if region_cc:
        c = [i for i, p in enumerate(ent.v4) if p[2] == region_cc]
        idx = r.choice(c) if c else None
    if idx is None:
        us = [i for i, p in enumerate(ent.v4) if p[2] == ent.cc]
        idx = r.choice(us) if us and r.random() < .7 else r.randrange(len(ent.v4))
    return [ent.ip4(r, idx) for _ in range(n)], ent


# ----------------------------------------------------------------------------- the world
class World:
    def __init__(self, seed, scale=1.0, days=None, prompts=None):
        self.seed = seed
        self.scale = scale
        self.rng = random.Random(seed)
        self.idr = random.Random(self.rng.getrandbits(64))
        self.days = int(days) if days else self.rng.randint(60, 90)
        base = datetime(2025, 9, 1, tzinfo=timezone.utc).timestamp() * 1000
        self.start = int(base) + self.rng.randint(0, 200) * DAY
        self.end = self.start + self.days * DAY
        self.C = Corpora(prompts)
        self.accounts = []
        self.side = []
        rel_day = self.rng.randint(int(self.days * .3), int(self.days * .6))
        self.release = self.start + rel_day * DAY + self.rng.randint(15, 19) * HOUR + self.rng.randrange(HOUR)
        rd = time.strftime('%Y%m%d', time.gmtime(self.release // 1000))
        self.newm = ['lyra-4', 'lyra-4', 'lyra-4-' + rd]
        MODEL_BASE['lyra-4'] = 'lyra-4'
        MODEL_BASE['lyra-4-' + rd] = 'lyra-4'
        self.p5xx = self.rng.uniform(.0008, .003)
        # shared infrastructure: carrier CGNAT pools and commercial VPN exits
        self.cgnat = {}
        for n in NETS:
            if n.kind == 'mobile':
                self.cgnat[n.name] = [n.ip4(self.rng) for _ in range(self.rng.randint(6, 40))]
        self.vpn = []
        for ent in self.rng.sample(HOSTING, 4):
            self.vpn.append([ent.ip4(self.rng) for _ in range(self.rng.randint(20, 90))])
        self.pops = []
        self.campaigns = []
        self.info = {'seed': seed, 'scale': scale, 'days': self.days, 'window': {'from': fmt_ts(self.start), 'to': fmt_ts(self.end)},
                     'new_model': {'name': self.newm[0], 'aliases': sorted(set(self.newm)), 'released': fmt_ts(self.release)},
                     'p_5xx': round(self.p5xx, 5)}

    # ---- small services
    def sub(self):
        return random.Random(self.rng.getrandbits(64))

    def n(self, r, a, b, lo=1):
        """a population size drawn log-uniformly in [a,b] and scaled"""
        return max(lo, int(round(logu(r, a, b) * self.scale)))

    def dow(self, d):
        return (self.start // DAY + d + 3) % 7

    def cid(self):
        return 'conv_' + '%020x' % self.idr.getrandbits(80)

    def new_key(self):
        return 'key_' + rstr(self.idr, 20)

    def new_pay(self, r, bins=None):
        return 'pf_' + rstr(self.idr, 18), (r.choice(bins) if bins else ORD_BIN_CUM.pick(r))

    def new_org(self):
        return 'org_' + rstr(self.idr, 16)

    def adopt(self, r, fast, slow):
        x = r.random()
        if x < fast:
            return self.release + int(logu(r, .3, 14) * HOUR)
        if x < fast + slow:
            return self.release + int(logu(r, 1, 40) * DAY)
        return None

    def model_at(self, base, adopt, t, r=None):
        if adopt is not None and t >= adopt:
            return self.newm[0] if r is None or r.random() < .75 else self.newm[2]
        return base

    def account(self, r, kind, created, cc=None, local=None, domain=None, pay=None, card_bin=None, signup_ip=None,
                org=None, verified=False, tier='free', campaign=None, nkeys=1):
        a = Acct()
        a.id = 'acct_' + rstr(self.idr, 22)
        a.created = int(created)
        a.email_local, a.email_domain = local, domain
        a.pay, a.bin, a.signup_ip, a.country, a.org = pay, card_bin, signup_ip, cc, org
        a.verified, a.tier, a.kind, a.campaign = verified, tier, kind, campaign
        a.keys = [self.new_key() for _ in range(max(1, nkeys))]
        a.rpm = TIER_RPM.get(tier, 50)
        a.harvest = 0
        a.n = 0
        self.accounts.append(a)
        return a

    def consumer(self, r, kind, cc, created, pay_p=.55, domain=None, local=None, verified_p=.04, tier=None, ip=None):
        """an individual sign-up with realistic e-mail, optional card"""
        if domain is None:
            x = r.random()
            domain = freemail(r, cc) if x < .84 else company_domain(r, cc, 'personal') if x < .93 else company_domain(r, cc)
        pay = card = None
        if r.random() < pay_p:
            pay, card = self.new_pay(r)
        if tier is None:
            tier = 'free' if not pay else r.choice(['tier-1', 'tier-1', 'tier-1', 'tier-2', 'tier-2', 'tier-3'])
        return self.account(r, kind, created, cc, local or email_local(r), domain, pay, card, ip, None,
                            r.random() < verified_p, tier)

    # ---- one request
    def req(self, a, ts, net, cli, prompt, model, r, system=None, task='chat', hist=0, mt=None, temp=None, top_p=None,
            n=None, lp=None, tlp=None, lb=None, tools=None, think=None, stream=None, conv=None, turn=1, eu=None,
            key=None, cot=False, harvest=False, ep=None, out=None):
        ts = int(ts)
        e = {'ts': ts, 'request_id': 'req_%024x' % self.idr.getrandbits(96), 'account_id': a.id}
        k = a.keys[0] if key is None else key
        if k:
            e['api_key_id'] = k
        if a.org:
            e['org_id'] = a.org
        if eu:
            e['end_user_id'] = eu
        ip, asn, cc = net
        e['ip'] = ip
        e['asn'] = asn
        e['country'] = cc
        e['user_agent'] = cli.ua
        e['tls_fingerprint'] = cli.tls
        ep = ep or cli.ep
        e['endpoint'] = ep
        e['model'] = model
        M = MODELS[MODEL_BASE.get(model, 'lyra-3')]
        pin = tok(prompt)
        intok = pin + (tok(system) if system else 0) + hist + 4
        if tools:
            intok += tools * 170 + 60
        if ep == 'embeddings':
            e['input_tokens'] = intok
            rt = 0
            o = 0
        else:
            if out is not None:
                o = out
            elif task == 'translate':
                o = int(pin * r.uniform(.9, 1.5)) + 5
            else:
                med, sig = TASK_OUT[task]
                if cot:
                    med *= 2.1
                o = int(med * math.exp(r.gauss(0.0, sig))) + 1
            nn = n if n and n > 1 else 1
            if nn > 1:
                o = int(o * nn * r.uniform(.85, 1.15))
            limit = (mt or M['ceil']) * nn
            rt = 0
            if think and M['think']:
                rt = int(lognorm(r, 1500 * THINK_MULT.get(task, 1.0) * (1.4 if cot else 1.0), .8)) + 30
                rt = min(rt, max(16, limit - 64))
            if o + rt > limit:
                o = max(1, limit - rt)
            e['input_tokens'] = intok
            e['output_tokens'] = o
            if think and M['think']:
                e['reasoning_tokens'] = rt
        if mt:
            e['max_tokens'] = mt
        if temp is not None:
            e['temperature'] = temp
        if top_p is not None:
            e['top_p'] = top_p
        if n:
            e['n'] = n
        if lp:
            e['logprobs'] = True
            if tlp:
                e['top_logprobs'] = tlp
        if lb:
            e['logit_bias_size'] = lb
        if tools:
            e['tools'] = tools
        if think is not None and (think is False or M['think']):
            e['thinking'] = bool(think and M['think'])
        e['stream'] = bool(stream)
        lat = lognorm(r, 380, .45) + intok * .012 + (o + rt) * 1000.0 / (M['speed'] * r.uniform(.75, 1.25) * (n or 1) ** .5)
        status = 200
        if r.random() < self.p5xx:
            status = r.choice([500, 500, 502, 503, 503, 529])
            if cli.sdk:  # the SDK retries once after a short back-off
                e2 = dict(e)
                e2['request_id'] = 'req_%024x' % self.idr.getrandbits(96)
                e2['status'] = 200
                e2['latency_ms'] = int(lat)
                e2['turn'] = turn
                if conv:
                    e2['conversation_id'] = conv
                if system:
                    e2['system'] = system
                e2['prompt'] = prompt
                e2['_a'] = a
                if harvest:
                    e2['_h'] = 1
                e2['_r'] = 1
                e2['ts'] = ts + r.randint(400, 2500)  # fixed below once the failure latency is known
                self.side.append(e2)
            for f in ('input_tokens', 'output_tokens', 'reasoning_tokens'):
                e.pop(f, None)
            lat = r.uniform(30, 400) if status == 529 else r.uniform(200, min(lat, 60000) + 300)
            if cli.sdk:
                e2['ts'] = ts + int(lat) + r.randint(400, 2500)
        e['status'] = status
        e['latency_ms'] = int(lat)
        if conv:
            e['conversation_id'] = conv
        e['turn'] = turn
        if system:
            e['system'] = system
        e['prompt'] = prompt
        e['_a'] = a
        if harvest:
            e['_h'] = 1
        if cli.sdk:
            e['_r'] = 2
        return e, o

    # ---- rate limits: per-account requests-per-minute, SDK clients retry with backoff
    def limit_pass(self, evs, r):
        by = {}
        for e in evs:
            by.setdefault(e['account_id'], []).append(e)
        extra = []
        for L in by.values():
            a = L[0]['_a']
            rpm = a.rpm
            if len(L) <= rpm:
                continue
            L.sort(key=lambda e: e['ts'])
            # quick check: any window of rpm+1 within 60 s?
            hot = False
            for i in range(rpm, len(L)):
                if L[i]['ts'] - L[i - rpm]['ts'] < MIN:
                    hot = True
                    break
            if not hot:
                continue
            heap = [(e['ts'], i, e) for i, e in enumerate(L)]
            seq = len(heap)
            acc = []
            lo = 0
            while heap:
                ts, _, e = heapq_pop(heap)
                while lo < len(acc) and acc[lo] <= ts - MIN:
                    lo += 1
                if len(acc) - lo >= rpm:
                    left = e.get('_r', 0)
                    if left:
                        e2 = dict(e)
                        e2['request_id'] = 'req_%024x' % self.idr.getrandbits(96)
                        e2['ts'] = ts + int(r.uniform(.5, 2.0) * 1000 * (2 ** (2 - left)) + 1000)
                        e2['_r'] = left - 1
                        seq += 1
                        heapq_push(heap, (e2['ts'], seq, e2))
                        extra.append(e2)
                    e['status'] = 429
                    for f in ('input_tokens', 'output_tokens', 'reasoning_tokens'):
                        e.pop(f, None)
                    e['latency_ms'] = r.randint(12, 140)
                else:
                    acc.append(ts)
        evs.extend(extra)

    # ---- build everything
    def build(self):
        r = self.rng
        build_benign(self, r)
        build_campaigns(self, r)

    def run(self, out, quiet=False):
        t0 = time.time()
        os.makedirs(out, exist_ok=True)
        r = self.sub()
        path = os.path.join(out, 'events.jsonl.gz')
        total = 0
        self.dropped = 0
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(',', ':'), check_circular=False).encode
        with open(path, 'wb') as raw:
            gz = gzip.GzipFile(filename='', mode='wb', fileobj=raw, mtime=0, compresslevel=6)
            pending = []
            for d in range(self.days):
                new = []
                for p in self.pops:
                    new.extend(p.day(d))
                new.extend(self.side)
                self.side = []
                self.limit_pass(new, r)
                d0 = self.start + d * DAY
                late = [e for e in new if e['ts'] < d0 or e['ts'] <= e['_a'].created]
                if late:  # out of order or before sign-up: a generator bug, must not happen
                    self.dropped += len(late)
                    new = [e for e in new if e['ts'] >= d0 and e['ts'] > e['_a'].created]
                evs = pending + new
                evs.sort(key=lambda e: e['ts'])
                d1 = self.end if d == self.days - 1 else self.start + (d + 1) * DAY
                lo, hi = 0, len(evs)
                while lo < hi:
                    mid = (lo + hi) // 2
                    if evs[mid]['ts'] < d1:
                        lo = mid + 1
                    else:
                        hi = mid
                cut = lo
                lines = []
                for e in evs[:cut]:
                    a = e.pop('_a')
                    a.n += 1
                    if e.pop('_h', 0):
                        a.harvest += 1
                    e.pop('_r', None)
                    e['ts'] = fmt_ts(e['ts'])
                    lines.append(dumps(e))
                if lines:
                    gz.write(('\n'.join(lines) + '\n').encode('utf-8'))
                total += len(lines)
                pending = evs[cut:] if d < self.days - 1 else []
                if not quiet and (d % 5 == 4 or d == self.days - 1):
                    print('  day %d/%d  events %d  (%.1fs)' % (d + 1, self.days, total, time.time() - t0), file=sys.stderr)
            gz.close()
        if self.dropped:
            print('othersim: warning: dropped %d events generated before their day' % self.dropped, file=sys.stderr)
        accts = sorted(self.accounts, key=lambda a: a.id)
        with open(os.path.join(out, 'accounts.jsonl'), 'w', encoding='utf-8') as f:
            for a in accts:
                f.write(json.dumps(a.record(), ensure_ascii=False, separators=(',', ':')) + '\n')
        with open(os.path.join(out, 'truth.jsonl'), 'w', encoding='utf-8') as f:
            for a in accts:
                t = {'account_id': a.id, 'campaign': a.campaign, 'kind': a.kind}
                if a.kind == 'campaign-reseller':
                    t['harvest_exchanges'] = a.harvest
                f.write(json.dumps(t, separators=(',', ':')) + '\n')
        summ = {}
        for a in self.accounts:
            key = a.campaign + ' ' + a.kind if a.campaign else a.kind
            s = summ.setdefault(key, {'accounts': 0, 'active_accounts': 0, 'events': 0})
            s['accounts'] += 1
            s['active_accounts'] += 1 if a.n else 0
            s['events'] += a.n
            if a.kind == 'campaign-reseller':
                s['harvest_exchanges'] = s.get('harvest_exchanges', 0) + a.harvest
        self.info['populations'] = [p.describe() for p in self.pops if not isinstance(p, CampaignBase)]
        self.info['campaigns'] = [p.describe() for p in self.pops if isinstance(p, CampaignBase)]
        self.info['summary'] = dict(sorted(summ.items()))
        self.info['events'] = total
        with open(os.path.join(out, 'world.json'), 'w', encoding='utf-8') as f:
            json.dump(self.info, f, indent=1, sort_keys=False)
            f.write('\n')
        return total, time.time() - t0


from heapq import heappop as heapq_pop, heappush as heapq_push  # noqa: E402


def run_conv(W, r, a, t, turns, net, cli, model, system=None, task='chat', mt=None, temp=None, top_p=None, think=None,
             stream=None, eu=None, key=None, tools=None, gap=(45.0, .8), harvest=False, cot=False, extra=0, n=None,
             netf=None, turn0=1, force_cid=False, cid=None, typing=True, **kw):
    """a conversation of user turns; returns events and the time after the last one"""
    out = []
    if cid is None and (len(turns) > 1 or force_cid):
        cid = W.cid()
    hist = extra
    ftask = task if task in ('code', 'math', 'tool') else 'followup'
    for i, text in enumerate(turns):
        nt = netf(t) if netf else net
        e, o = W.req(a, t, nt, cli, text, model, r, system=system, task=task if i == 0 else ftask, hist=hist, mt=mt,
                     temp=temp, top_p=top_p, think=think, stream=stream, eu=eu, key=key, tools=tools, conv=cid,
                     turn=turn0 + i, harvest=harvest, cot=cot, n=n, **kw)
        out.append(e)
        hist += tok(text) + o
        t += e['latency_ms'] + int(lognorm(r, gap[0], gap[1]) * 1000)
        if typing and i + 1 < len(turns):
            t += min(240000, len(turns[i + 1]) * 180)
    return out, t


class Pop:
    kind = 'benign-x'

    def __init__(self, W, r):
        self.W = W
        self.r = r
        self.params = {}
        self.accts = []

    def day(self, d):
        return []

    def describe(self):
        return {'kind': self.kind, 'accounts': len(self.accts), 'params': self.params}


class CampaignBase(Pop):
    pass


# ============================================================================= genuine populations
class P:
    pass


def casual_script(C, r, w_sg=.5, maxturns=10, long=False):
    if long and r.random() < .5:
        t = r.choice(C.sg_long)
        return t[:r.randint(3, min(len(t), maxturns))]
    if r.random() < w_sg:
        t = r.choice(C.sg)
        if len(t) > maxturns or r.random() < .3:
            t = t[:r.randint(1, min(len(t), maxturns))]
        return t
    turns = [r.choice(C.singles_c.pick(r))]
    while r.random() < .3 and len(turns) < 5:
        turns.append(r.choice(HUMAN_FOLLOW))
    return turns


CODE_FOLLOW = ["that throws an error", "can you add type hints", "write unit tests for it", "make it faster",
               "explain how this works", "it still doesn't work, here is the error: TypeError: 'NoneType' object is not subscriptable",
               "can you convert it to typescript", "add comments please", "what's the time complexity?", "refactor it into a class"]
WORK_TMPL = ["Summarize the following in 5 bullet points:\n\n{t}", "Draft a short professional email about this:\n{t}",
             "Rewrite this to sound more professional:\n\n{t}", "{t}", "Can you help me prepare talking points on: {t}",
             "Turn this into a slide outline:\n{t}", "{t}\n\nKeep it under 150 words.", "What are the key risks here?\n\n{t}"]


def code_script(C, r):
    x = r.random()
    if x < .55:
        t = r.choice(C.sg_code)
        return t[:r.randint(1, min(len(t), 8))]
    if x < .68:
        return [r.choice(C.arena_code)]
    if x < .9:
        turns = [r.choice(C.calpaca)]
        while r.random() < .4 and len(turns) < 5:
            turns.append(r.choice(CODE_FOLLOW))
        return turns
    return [r.choice(C.gt_code)]


def work_script(C, r):
    x = r.random()
    if x < .45:
        t = r.choice(C.sg_work)
        return t[:r.randint(1, min(len(t), 6))]
    if x < .8:
        src = r.choice(C.sg)[0] if r.random() < .5 else r.choice(C.dolly)
        turns = [r.choice(WORK_TMPL).format(t=src)]
    else:
        turns = [r.choice(C.dolly)]
    while r.random() < .25 and len(turns) < 4:
        turns.append(r.choice(HUMAN_FOLLOW))
    return turns


def pick_model(r, w=(10, 35, 40, 15)):
    base = r.choices(['lyra-2.5', 'lyra-3-mini', 'lyra-3', 'lyra-3-large'], w)[0]
    al = ALIASES[base]
    return al[0] if r.random() < .7 else r.choice(al)


def task_of(text):
    return 'code' if CODE_RE.search(text[:600]) else 'chat'


def mobile_net(W, r, cc):
    cands = MOB_BY_CC.get(cc)
    if not cands:
        return None
    ent = r.choice(cands)
    v6 = ent.prefix(r, 64) if ent.v6 else None
    return PoolNet(W.cgnat[ent.name], v6, .7 if v6 else 0)


class Individuals(Pop):
    """people using chat front-ends and scripts with their own accounts"""
    kind = 'benign-casual'
    cfg = dict(n=(2500, 5000), prof=['evening'] * 5 + ['dev', 'student'], lam=(.12, 1.0, .008, 2.0), new_frac=.3,
               age_max=900, churn=40, net='home', alt_mobile=.4, alt_p=.25, fam=CONSUMER_FAM, dev_p=.1, pay_p=.5,
               mt_none=.7, sg_w=.5, maxturns=10, gap=(40, .9), wk=(.8, 1.5), block=None, long=False, adopt=(.03, .4),
               cron=0.0, sdk2=0.0)

    def __init__(self, W, r, **over):
        super().__init__(W, r)
        self.c = c = dict(self.cfg, **over)
        n = W.n(r, *c['n'])
        self.people = []
        for _ in range(n):
            self.people.append(self.person(r))
        self.params = {k: (v if not isinstance(v, Cum) else v.items[:4]) for k, v in c.items()}
        self.params['people'] = n

    def person(self, r):
        W, c = self.W, self.c
        p = P()
        cc = CC_CUM.pick(r)
        tz = r.choice(COUNTRIES[cc][1])
        if c['block']:
            created = W.start - logu(r, c['block'][0], c['block'][1]) * DAY
        elif r.random() < c['new_frac']:
            created = W.start + r.uniform(0, W.days * .95) * DAY
        else:
            created = W.start - logu(r, 1, c['age_max']) * DAY
        if c['net'] == 'mobile':
            p.net = mobile_net(W, r, cc if cc in MOB_BY_CC else 'US')
            if cc not in MOB_BY_CC:
                cc = 'US'
        elif c['net'] == 'vpn':
            p.vpn = r.choice(W.vpn)
            p.net = HomeNet(W, r, cc)
        else:
            p.net = HomeNet(W, r, cc)
        p.alt = mobile_net(W, r, cc) if r.random() < c['alt_mobile'] else None
        if c['net'] == 'vpn':
            sip = r.choice(p.vpn)[0]
        else:
            sip = p.net.get(r, max(created, W.start))[0]
        a = W.consumer(r, self.kind, cc, created, pay_p=c['pay_p'], ip=sip,
                       domain='proton.me' if c['net'] == 'vpn' and r.random() < .25 else None)
        self.accts.append(a)
        p.a = a
        p.clock = Clock(r.choice(c['prof']), tz, r, .3, r.choice([-1, 0, 0, 1]))
        m, s, lo, hi = c['lam']
        p.lam = clamp(lognorm(r, m, s), lo, hi)
        cd = max(0, int((created - W.start) // DAY))
        if c['block']:
            p.d_from = r.randint(0, max(0, W.days - 10))
            p.d_to = p.d_from + r.randint(2, 20)
        else:
            p.d_from = cd if created >= W.start else max(0, int(r.expovariate(1 / 15.0)) if r.random() < .3 else 0)
            p.d_to = p.d_from + int(r.expovariate(1.0 / c['churn'])) + 1 if c['churn'] else W.days
        p.wk = r.uniform(*c['wk'])
        sdk = r.random() < c['dev_p']
        p.cli = mk_client(r, DEV_FAM.pick(r)) if sdk else mk_client(r, c['fam'].pick(r))
        p.cli2 = mk_client(r, DEV_FAM.pick(r)) if r.random() < c['sdk2'] else None
        p.model = pick_model(r)
        p.adopt = W.adopt(r, *c['adopt'])
        p.mt = None if (r.random() < c['mt_none'] and not sdk) else r.choice([512, 1024, 1024, 2048, 4096, 4096, 8192])
        p.temp = None if r.random() < .82 else r.choice([0.0, 0.2, 0.5, 0.7, 0.7, 1.0])
        p.top_p = r.choice([0.9, 0.95, 1.0, 0.8]) if (sdk or p.cli2) and r.random() < .2 else None
        p.sys = None if r.random() < .88 else r.choice(GENERIC_SYS + ['You are a concise assistant. Answer briefly.',
                                                                       'Always answer in %s.' % r.choice(LANGS)])
        p.stream = (not sdk) or r.random() < .3
        p.cron = None
        if r.random() < c['cron']:
            p.cron = (r.randint(5, 9) - int(math.floor(tz)), r.randrange(0, 60, 5), r.randint(1, 6),
                      mk_client(r, r.choice(['openai-py', 'anthropic-py', 'requests', 'curl'])),
                      PoolNet(cloud_pool(r, 1)[0]) if r.random() < .5 else p.net, r.choice(WORK_TMPL[:3]),
                      r.random() < .5)
        return p

    def day(self, d):
        W, r, c = self.W, self.r, self.c
        d0 = W.start + d * DAY
        wkend = W.dow(d) >= 5
        out = []
        for p in self.people:
            if d < p.d_from or d > p.d_to:
                continue
            lam = p.lam * (p.wk if wkend else 1.0)
            k = poisson(r, lam)
            for _ in range(k):
                t = p.clock.t(r, d0)
                if t <= p.a.created:
                    continue
                self.session(p, t, out)
            if p.cron and not (wkend and p.cron[6]):
                self.cron(p, d0, out)
        return out

    def session(self, p, t, out):
        W, r, c = self.W, self.r, self.c
        if c.get('long') and r.random() < .4:
            turns = casual_script(W.C, r, c['sg_w'], c['maxturns'], True)
        elif r.random() < .12:
            turns = code_script(W.C, r)
        else:
            turns = casual_script(W.C, r, c['sg_w'], c['maxturns'])
        if c['net'] == 'vpn':
            net = r.choice(p.vpn)
        else:
            src = p.alt if (p.alt is not None and r.random() < c['alt_p']) else p.net
            net = src.get(r, t)
        cli = p.cli2 if p.cli2 is not None and r.random() < .3 else p.cli
        model = W.model_at(p.model, p.adopt, t, r)
        evs, _ = run_conv(W, r, p.a, t, turns, net, cli, model, system=p.sys, task=task_of(turns[0]), mt=p.mt,
                          temp=p.temp, stream=p.stream if cli is p.cli else False, gap=c['gap'], force_cid=not cli.sdk,
                          top_p=p.top_p if cli.sdk else None)
        out.extend(evs)

    def cron(self, p, d0, out):
        W, r = self.W, self.r
        hh, mm, k, cli, net, tmpl, _ = p.cron
        t = d0 + (hh % 24) * HOUR + mm * MIN + r.randint(0, 4000)
        if t <= p.a.created:
            return
        for i in range(k):
            src = r.choice(W.C.dolly) if r.random() < .6 else r.choice(W.C.sg)[0][:1500]
            e, o = W.req(p.a, t, net.get(r, t), cli, tmpl.format(t=src), p.model, r, task='summ', mt=1024, temp=0.3,
                         stream=False)
            out.append(e)
            t += e['latency_ms'] + r.randint(50, 900)


class Casual(Individuals):
    kind = 'benign-casual'


class Power(Individuals):
    kind = 'benign-power'
    cfg = dict(Individuals.cfg, n=(30, 90), lam=(3.0, .6, .8, 12), new_frac=.1, churn=0, dev_p=.25, sdk2=.5, pay_p=.9,
               maxturns=10, long=True, gap=(25, .9), adopt=(.35, .45), cron=.25, mt_none=.5, alt_mobile=.6, wk=(.7, 1.3))


class NightShift(Individuals):
    kind = 'benign-nightshift'
    cfg = dict(Individuals.cfg, n=(30, 100), prof=['night'], lam=(.5, .7, .05, 3), new_frac=.15, churn=0, wk=(.6, 1.2))


class Returning(Individuals):
    kind = 'benign-returning'
    cfg = dict(Individuals.cfg, n=(50, 200), lam=(.6, .7, .1, 3), block=(200, 900), adopt=(.0, .2))


class Mobile(Individuals):
    kind = 'benign-mobile'
    cfg = dict(Individuals.cfg, n=(150, 500), net='mobile', fam=MOBILE_FAM, dev_p=0.0, lam=(.35, .9, .03, 3),
               alt_mobile=0.0, churn=60, pay_p=.4)


class VpnUsers(Individuals):
    kind = 'benign-vpn'
    cfg = dict(Individuals.cfg, n=(100, 400), net='vpn', lam=(.3, .9, .03, 3), alt_mobile=0.0, churn=60, pay_p=.45,
               dev_p=.2)


# ----------------------------------------------------------------------------- coding agents
AGENT_SYS = {
    'default': "You are an autonomous coding agent working inside the user's repository. Use the provided tools to read "
               "files, run commands and edit code. Make minimal, correct changes and verify them by running the tests.",
    'claude-cli': "You are an interactive CLI tool that helps users with software engineering tasks. Use the tools "
                  "available to you to assist the user. Be concise. Always run the project's tests after making changes.",
    'cline': "You are Cline, a highly skilled software engineer with extensive knowledge in many programming languages, "
             "frameworks, design patterns, and best practices. TOOL USE: You have access to a set of tools...",
    'roo': "You are Roo, a highly skilled software engineer. You accomplish a given task iteratively, breaking it down "
           "into clear steps and working through them methodically.",
    'aider': "Act as an expert software developer. Always use best practices when coding. Respect and use existing "
             "conventions, libraries, etc that are already present in the code base. Reply with SEARCH/REPLACE blocks.",
}
MODS = ['api', 'core', 'utils', 'models', 'services', 'handlers', 'db', 'auth', 'billing', 'cli', 'web', 'tests']
FILES = ['main', 'server', 'client', 'config', 'schema', 'views', 'routes', 'helpers', 'parser', 'cache', 'worker', 'types']
EXTS = ['py', 'py', 'ts', 'tsx', 'go', 'rs', 'js', 'java']
ERRS = ["TypeError: cannot read properties of undefined (reading 'map')", "KeyError: 'user_id'",
        "AssertionError: expected 200, got 500", "ModuleNotFoundError: No module named 'pydantic_settings'",
        "error[E0502]: cannot borrow `self` as mutable because it is also borrowed as immutable",
        "panic: runtime error: index out of range [3] with length 3", "SyntaxError: Unexpected token ')'"]


def _path(r):
    return 'src/%s/%s.%s' % (r.choice(MODS), r.choice(FILES), r.choice(EXTS))


def tool_result(r):
    x = r.random()
    if x < .28:
        k, f = r.randint(3, 60), r.choice([0, 0, 1, 1, 2, 4])
        return '$ %s\n%s\n%s%d passed in %.2fs' % (r.choice(['pytest -q', 'npm test', 'go test ./...', 'cargo test']),
                                                  '.' * min(k, 40) + 'F' * f, ('%d failed, ' % f) if f else '', k, r.uniform(.3, 40))
    if x < .55:
        fn = r.choice(['load', 'parse', 'handle', 'build', 'fetch', 'validate', 'render', 'update']) + '_' + r.choice(FILES)
        body = '\n'.join('    %s = %s(%s)' % (r.choice(['x', 'res', 'data', 'item', 'cfg']), r.choice(['get', 'map', 'dict', 'len', 'str']),
                                              r.choice(['req', 'row', 'self', 'value', 'key'])) for _ in range(r.randint(3, 25)))
        return 'Contents of %s:\n\ndef %s(%s):\n%s\n    return res\n' % (_path(r), fn, r.choice(['self', 'req', 'path, opts']), body)
    if x < .68:
        a, b = r.randint(1, 80), r.randint(0, 40)
        return '$ git diff --stat\n %s | %d %s%s\n 1 file changed, %d insertions(+), %d deletions(-)' % (
            _path(r), a + b, '+' * min(a, 30), '-' * min(b, 20), a, b)
    if x < .82:
        return '\n'.join('%s:%d: %s' % (_path(r), r.randint(1, 900), r.choice(['TODO: handle retries', 'def __init__(self):',
                                                                               'import logging', 'return None', 'raise ValueError(msg)']))
                         for _ in range(r.randint(1, 12)))
    if x < .92:
        return 'Traceback (most recent call last):\n  File "%s", line %d, in %s\n%s' % (_path(r), r.randint(5, 400),
                                                                                   r.choice(FILES), r.choice(ERRS))
    return 'File %s updated successfully.' % _path(r)


STEER = ["no, don't change the public API", "looks good, now add tests", "use the existing helper in utils instead",
         "run the full test suite", "revert that last change", "also update the README", "ok commit this",
         "can you make it handle the empty case too?", "that's wrong, the config is loaded elsewhere"]


def agent_task(W, r, p, t, out, net=None):
    first = r.choice(code_script(W.C, r)[:1]) if r.random() < .7 else \
        'In %s, %s' % (_path(r), r.choice(['fix the failing test', 'add input validation', 'refactor this into smaller functions',
                                          'add pagination to the list endpoint', 'implement caching for the lookup',
                                          'upgrade to the new client library and fix the breakages']))
    L = clamp(int(lognorm(r, p.loop, .8)), 2, 250)
    cid = W.cid()
    model = W.model_at(p.model, p.adopt, t, r)
    sysp = AGENT_SYS.get(p.cli.fam, AGENT_SYS['default'])
    hist = int(logu(r, 2000, 14000))
    nt = (net or p.net).get(r, t)
    for i in range(L):
        if i == 0:
            text, task = first, 'code'
        elif r.random() < .05:
            text, task = r.choice(STEER), 'code'
            t += int(logu(r, 20, 600) * 1000)
        else:
            text, task = tool_result(r), 'agent'
        think = (p.think and (i == 0 or r.random() < p.think_step)) if p.think is not None else None
        e, o = W.req(p.a, t, nt, p.cli, text, model, r, system=sysp, task=task, hist=hist, mt=p.mt, temp=p.temp,
                     tools=p.cli.tools or None, think=think, stream=True, conv=cid, turn=i + 1)
        out.append(e)
        hist += tok(text) + o + (r.randint(0, 2500) if r.random() < .3 else 0)
        if hist > 160000:
            hist = int(hist * r.uniform(.15, .35))
        t += e['latency_ms'] + int(lognorm(r, 2500, 1.0))
    return t


class Agents(Pop):
    kind = 'benign-agent'

    def __init__(self, W, r):
        super().__init__(W, r)
        n = W.n(r, 10, 30)
        self.people = []
        for _ in range(n):
            p = P()
            cc = CC_CUM.pick(r)
            tz = r.choice(COUNTRIES[cc][1])
            created = W.start - logu(r, 5, 700) * DAY
            p.net = HomeNet(W, r, cc) if r.random() < .75 else PoolNet(cloud_pool(r, 1)[0])
            p.a = W.consumer(r, self.kind, cc, created, pay_p=1.0, ip=p.net.get(r, W.start)[0], verified_p=.15,
                             tier=r.choice(['tier-2', 'tier-3', 'tier-3', 'tier-4']))
            p.a.keys += [W.new_key() for _ in range(r.randint(0, 3))]
            self.accts.append(p.a)
            p.around = r.random() < .3
            p.clock = Clock('flat' if p.around else 'dev', tz, r, .35)
            p.lam = clamp(lognorm(r, 1.2, .7), .2, 6)
            p.loop = logu(r, 5, 22)
            p.cli = mk_client(r, AGENT_FAM.pick(r))
            p.model = r.choice(['lyra-3', 'lyra-3-large', 'lyra-3-large', 'lyra-3-20250612'])
            p.adopt = W.adopt(r, .5, .35)
            p.mt = r.choice([8192, 16384, 16384, 32000, None])
            p.temp = r.choice([None, None, 0.0, 0.2])
            p.think = r.choice([None, True, True, False])
            p.think_step = r.uniform(.1, .6)
            p.wk = r.uniform(.2, .9)
            self.people.append(p)
        self.params = {'developers': n}

    def day(self, d):
        W, r = self.W, self.r
        d0 = W.start + d * DAY
        wkend = W.dow(d) >= 5
        out = []
        for p in self.people:
            if r.random() < (.15 if not wkend else .5) and not p.around:
                continue
            k = poisson(r, p.lam * (p.wk if wkend else 1))
            for _ in range(k):
                t = p.clock.t(r, d0)
                if r.random() < .2:
                    turns = code_script(W.C, r)
                    evs, _ = run_conv(W, r, p.a, t, turns, p.net.get(r, t), mk_client(r, 'chrome-mac') if r.random() < .5 else p.cli,
                                      W.model_at(p.model, p.adopt, t, r), task='code', gap=(30, .8))
                    out.extend(evs)
                else:
                    agent_task(W, r, p, t, out)
        return out


# ----------------------------------------------------------------------------- organisations
class Enterprise(Pop):
    kind = 'benign-enterprise'

    def __init__(self, W, r, verified=True, size=(10, 200), kind=None):
        super().__init__(W, r)
        if kind:
            self.kind = kind
        cc = r.choice(['US', 'US', 'US', 'GB', 'DE', 'FR', 'JP', 'IN', 'SG', 'BR', 'CA', 'NL'])
        tz = r.choice(COUNTRIES[cc][1])
        self.tz = tz
        domain = company_domain(r, cc, 'corp' if verified else 'startup')
        org = W.new_org() if (verified or r.random() < .5) else None
        pay, card = W.new_pay(r, CORP_BINS if verified else None)
        n = W.n(r, *size, lo=3)
        bz = BIZ_BY_CC.get(cc) or BIZ_BY_CC['US']
        ent = r.choice(bz)
        self.office = PoolNet([ent.ip4(r) for _ in range(r.randint(1, 3))])
        self.zs = PoolNet([ZSCALER.ip4(r) for _ in range(r.randint(4, 12))]) if verified and r.random() < .35 else None
        onboard = W.start - logu(r, 10, 500) * DAY if r.random() < .8 else W.start + r.uniform(0, W.days * .5) * DAY
        self.people = []
        tier = r.choice(['tier-4', 'scale']) if verified else r.choice(['tier-1', 'tier-2', 'tier-3'])
        for i in range(n):
            p = P()
            created = onboard + (logu(r, .01, 14) if r.random() < .7 else r.uniform(0, max(15, (W.end - onboard) / DAY))) * DAY
            created = min(created, W.end - HOUR)
            p.home = HomeNet(W, r, cc if cc in ISP_BY_CC else 'US')
            sip = self.office.get(r, created)[0]
            p.a = W.account(r, self.kind, created, cc, email_local(r, r.uniform(0, .55)), domain, pay, card, sip, org,
                            verified, tier)
            self.accts.append(p.a)
            p.eng = r.random() < .3
            p.clock = Clock('office' if verified else 'dev', tz, r, .2)
            p.lam = clamp(lognorm(r, 1.0, .8), .05, 6)
            x = r.random()
            p.cli = mk_client(r, AGENT_FAM.pick(r) if (p.eng and x < .4) else DEV_FAM.pick(r) if x < .55 else
                              r.choice(BROWSERS))
            p.model = pick_model(r, (5, 25, 50, 20))
            p.adopt = W.adopt(r, .15 if p.eng else .02, .4)
            p.mt = r.choice([None, None, 1024, 4096, 8192]) if not p.cli.sdk else r.choice([1024, 2048, 4096, 8192, 16384])
            p.temp = r.choice([None, None, 0.0, 0.3, 0.7])
            p.loop, p.think, p.think_step = logu(r, 5, 25), r.choice([None, True]), .3
            p.net = self.office
            p.remote = r.uniform(.05, .5)
            self.people.append(p)
        self.holidays = set(r.sample(range(W.days), r.randint(0, 3)))
        self.params = {'employees': n, 'country': cc, 'tz': tz, 'verified': verified, 'declared_org': bool(org),
                       'office_ips': len(self.office.pool), 'zscaler': bool(self.zs), 'domain_kind': 'corp' if verified else 'startup'}

    def day(self, d):
        W, r = self.W, self.r
        d0 = W.start + d * DAY
        f = .05 if W.dow(d) >= 5 else 1.0
        if d in self.holidays:
            f = .05
        out = []
        for p in self.people:
            k = poisson(r, p.lam * f)
            for _ in range(k):
                t = p.clock.t(r, d0)
                if t <= p.a.created:
                    continue
                net = self.office
                if r.random() < p.remote:
                    net = self.zs if self.zs else p.home
                if p.cli.tools:
                    agent_task(W, r, p, t, out, net)
                    continue
                turns = code_script(W.C, r) if p.eng and r.random() < .7 else work_script(W.C, r)
                evs, _ = run_conv(W, r, p.a, t, turns, net.get(r, t), p.cli, W.model_at(p.model, p.adopt, t, r),
                                  task=task_of(turns[0]), mt=p.mt, temp=p.temp, stream=not p.cli.sdk, gap=(50, .9),
                                  force_cid=not p.cli.sdk)
                out.extend(evs)
        return out


class Team(Enterprise):
    kind = 'benign-team'

    def __init__(self, W, r):
        super().__init__(W, r, verified=False, size=(2, 15))


class Campus(Pop):
    kind = 'benign-campus'

    def __init__(self, W, r, uni):
        super().__init__(W, r)
        dom, asn, pref, cc, tz = uni
        self.tz = tz
        b, sz = _p4(pref)
        nat = [(v4s(b + r.randrange(sz) | 1), asn, cc) for _ in range(r.randint(1, 3))]
        self.nat = PoolNet(nat)
        n = W.n(r, 150, 600, lo=10)
        self.people = []
        subjects = ['math', 'cs', 'bio', 'econ', 'writing', 'physics', 'stats', 'chem']
        ncourse = r.randint(2, 5)
        self.courses = []
        for ci in range(ncourse):
            c = P()
            c.subj = r.choice(subjects)
            c.size = max(3, int(n * r.uniform(.1, .5)))
            c.first = r.randint(2, 14)
            c.period = r.randint(7, 14)
            c.deadlines = [W.start + dd * DAY + (23 - int(math.floor(tz))) * HOUR + 59 * MIN
                           for dd in range(c.first, W.days + 1, c.period)]
            c.sets = [self.problem_set(r, c.subj) for _ in c.deadlines]
            c.boost = r.uniform(2, 8)
            c.sdk = None
            if c.subj == 'cs' and r.random() < .6:  # an assignment that uses the API from a notebook
                c.sdk = (mk_client(r, r.choice(['openai-py', 'anthropic-py'])), r.choice(GENERIC_SYS + [None]),
                         r.choice(['lyra-3-mini', 'lyra-3']), r.choice([256, 500, 1000]), r.choice([0.0, 0.7, 1.0]))
            self.courses.append(c)
        signup_course = self.courses[0] if r.random() < .75 else None
        wk0 = W.start + r.uniform(-10, 20) * DAY
        members = [[] for _ in self.courses]
        for i in range(n):
            p = P()
            p.courses = [ci for ci, c in enumerate(self.courses) if r.random() < c.size / n]
            if signup_course is not None and 0 in p.courses:
                created = wk0 + r.uniform(0, 7) * DAY
            else:
                created = W.start - logu(r, 1, 720) * DAY if r.random() < .85 else W.start + r.uniform(0, W.days * .8) * DAY
            f, l = r.choice(FIRST), r.choice(LAST)
            x = r.random()
            local = ('%s%s%d' % (f[0], l[0], r.randint(1000, 9999)) if x < .3 else '%s.%s' % (f, l) if x < .6 else
                     '%s%s%d' % (f[0], l, r.randint(1, 99)) if x < .8 else '%s%s%s' % (f, l[0], r.randint(20, 29)))
            pay = card = None
            if r.random() < .45:
                pay, card = W.new_pay(r)
            p.home = HomeNet(W, r, cc) if r.random() < .6 else None
            p.mob = mobile_net(W, r, cc)
            p.a = W.account(r, self.kind, created, cc, local, dom, pay, card, self.nat.get(r, created)[0], None,
                            False, 'free' if not pay else 'tier-1')
            self.accts.append(p.a)
            p.clock = Clock('student', tz, r, .3)
            p.lam = clamp(lognorm(r, .15, .9), .01, 2)
            p.cli = mk_client(r, CONSUMER_FAM.pick(r))
            p.model = pick_model(r, (10, 50, 30, 10))
            p.adopt = W.adopt(r, .02, .3)
            for ci in p.courses:
                members[ci].append(p)
            self.people.append(p)
        self.members = members
        self.breakweek = r.randint(0, W.days - 7) if r.random() < .5 else None
        self.params = {'university_domain': dom, 'asn': asn, 'nat_ips': len(nat), 'students': n,
                       'courses': [{'subject': c.subj, 'students': len(members[i]), 'period_days': c.period,
                                    'api_assignment': bool(c.sdk)} for i, c in enumerate(self.courses)],
                       'signup_week_course': signup_course is not None}

    def problem_set(self, r, subj):
        C = self.W.C
        k = r.randint(5, 14)
        if subj in ('math', 'stats', 'physics', 'econ'):
            return [('math', t) for t in r.sample(C.gsm, k)]
        if subj == 'cs':
            return [('code', t) for t in r.sample(C.calpaca + C.heval, k)]
        if subj in ('bio', 'chem'):
            subs = [s for s in C.mmlu_subj if any(w in s for w in ('biology', 'chemistry', 'anatomy', 'medicine'))]
            idx = C.mmlu_subj[r.choice(subs)]
            return [('reason', C.mmlu_plain(i, 0)) for i in r.sample(idx, min(k, len(idx)))]
        return [('write', 'Write an essay about ' + t[0].lower() + t[1:]) if len(t) < 200 else ('write', t)
                for t in r.sample(C.dolly + C.selfi, k)]

    HW = ["{q}", "{q}", "Can you solve this step by step?\n{q}", "explain step by step: {q}", "{q}\n\nshow your work please",
          "help me with this homework question: {q}", "I don't understand how to do this problem. {q}", "{q} explain",
          "how do i do this\n\n{q}", "{q}\n\nexplain the answer"]

    def day(self, d):
        W, r = self.W, self.r
        d0 = W.start + d * DAY
        wkend = W.dow(d) >= 5
        brk = self.breakweek is not None and self.breakweek <= d < self.breakweek + 7
        out = []
        for p in self.people:
            k = poisson(r, p.lam * (.8 if wkend else 1) * (.3 if brk else 1))
            for _ in range(k):
                t = p.clock.t(r, d0)
                if t > p.a.created:
                    self.session(p, t, casual_script(W.C, r, .4, 6), 'chat', out)
        # assignment deadlines: synchronized bursts over the 48 h before each due time
        for ci, c in enumerate(self.courses):
            for di, dl in enumerate(c.deadlines):
                if not (d0 <= dl + 6 * HOUR and dl - 60 * HOUR < d0 + DAY):
                    continue
                for p in self.members[ci]:
                    k = poisson(r, p.lam * c.boost * .5 + .15)
                    for _ in range(k):
                        t = dl - int(HOUR * 48 * (r.random() ** 2.2)) + (r.randint(0, 5) * HOUR if r.random() < .08 else 0)
                        if not (d0 <= t < d0 + DAY) or t <= p.a.created:
                            continue
                        ps = c.sets[di]
                        task, q = ps[r.randrange(len(ps))]
                        if c.sdk and r.random() < .5:
                            cli, sysp, model, mt, temp = c.sdk
                            e, _ = W.req(p.a, t, self.net(p, t), cli, q if r.random() < .7 else perturb(q, r, .3), model, r,
                                         system=sysp, task=task, mt=mt, temp=temp, stream=False)
                            out.append(e)
                            continue
                        text = r.choice(self.HW).format(q=q) if r.random() < .8 else perturb(q, r, .4)
                        turns = [text]
                        while r.random() < .35 and len(turns) < 5:
                            turns.append(r.choice(["i don't get step 2", "why?", "can you explain it more simply",
                                                   "what's the final answer?", "is this right? I got a different answer",
                                                   "thanks, now the next one: " + ps[r.randrange(len(ps))][1]]))
                        self.session(p, t, turns, task, out)
        return out

    def net(self, p, t):
        r = self.r
        lh = ((t // HOUR) + int(math.floor(self.tz))) % 24
        on = .65 if 9 <= lh <= 18 else .35
        if p.home is None or r.random() < on:
            return self.nat.get(r, t)
        if p.mob is not None and r.random() < .25:
            return p.mob.get(r, t)
        return p.home.get(r, t)

    def session(self, p, t, turns, task, out):
        W, r = self.W, self.r
        evs, _ = run_conv(W, r, p.a, t, turns, self.net(p, t), p.cli, W.model_at(p.model, p.adopt, t, r), task=task,
                          stream=True, gap=(35, .8), force_cid=True)
        out.extend(evs)


class Bench(Pop):
    """customers running public evaluation suites: in order, fast, temperature 0, fixed max_tokens"""
    kind = 'benign-benchmark'

    def __init__(self, W, r):
        super().__init__(W, r)
        cc = r.choice(['US', 'US', 'GB', 'DE', 'FR', 'CA', 'SG', 'KR', 'JP'])
        if r.random() < .3:
            dom = r.choice(UNIS)[0]
        else:
            dom = company_domain(r, cc, r.choice(['corp', 'startup']))
        org = W.new_org()
        pay, card = W.new_pay(r, CORP_BINS if r.random() < .5 else None)
        k = r.randint(1, 5)
        tier = r.choice(['tier-2', 'tier-3', 'tier-4', 'tier-4'])
        pool, ent = cloud_pool(r, r.randint(1, 3))
        self.net = PoolNet(pool)
        for i in range(k):
            created = W.start - logu(r, 5, 600) * DAY
            self.accts.append(W.account(r, self.kind, created, cc, email_local(r, r.uniform(0, .6)), dom, pay, card,
                                        pool[0][0], org, r.random() < .6, tier))
        self.cli = mk_client(r, r.choice(['openai-py', 'openai-py', 'anthropic-py', 'httpx', 'aiohttp', 'requests']))
        self.conc = r.choice([1, 2, 4, 8, 8, 16, 32])
        models = r.sample(['lyra-3-mini', 'lyra-3', 'lyra-3-large', 'lyra-2.5'], r.randint(1, 3))
        self.runs = []
        budget = W.n(r, 3000, 15000, lo=150)
        if r.random() < .7:
            self.runs.append(P())
            self.runs[-1].t = W.release + int(logu(r, .5, 40) * HOUR)
            self.runs[-1].model = W.newm[0]
        period = r.choice([7, 14, 14, 28])
        wd = r.randrange(7)
        hh = r.randint(0, 23)
        for dd in range(W.days):
            if (W.start // DAY + dd + 3) % 7 == wd and (dd // 7) % (period // 7) == 0:
                p = P()
                p.t = W.start + dd * DAY + hh * HOUR + r.randint(0, 20) * MIN
                p.model = r.choice(models)
                self.runs.append(p)
        for _ in range(poisson(r, 2.5)):
            p = P()
            p.t = W.start + int(r.uniform(0, W.days) * DAY)
            p.model = r.choice(models)
            self.runs.append(p)
        if not self.runs:
            p = P()
            p.t = W.start + int(r.uniform(0, W.days) * DAY)
            p.model = models[0]
            self.runs.append(p)
        per = max(50, budget // len(self.runs))
        self.suite_modes = []
        for i, p in enumerate(self.runs):
            if p.t < W.start + DAY and p.model.startswith('lyra-4'):
                p.t = W.release + HOUR
            p.acct = self.accts[i % k]
            p.suites = r.sample(['mmlu', 'gsm8k', 'humaneval'], r.randint(1, 3))
            p.size = per
            p.mmlu_mode = r.choice(['gen', 'gen', 'logprobs', 'cot'])
            p.shots = r.choice([0, 5])
            p.gsm_mode = r.choice(['8shot', 'cot0'])
            p.he_n = r.choice([1, 1, 5, 10])
            p.conc = self.conc
        self.runs.sort(key=lambda p: p.t)
        self.params = {'accounts': k, 'runs': len(self.runs), 'concurrency': self.conc, 'client': self.cli.fam,
                       'models': models, 'items_per_run': per, 'cloud': ent.name}

    def day(self, d):
        W = self.W
        d0 = W.start + d * DAY
        out = []
        for p in self.runs:
            if d0 <= p.t < d0 + DAY:
                self.execute(p, out)
        return out

    def items(self, p):
        C, r = self.W.C, self.r
        per = max(10, p.size // len(p.suites))
        its = []
        for s in p.suites:
            if s == 'mmlu':
                subs = sorted(C.mmlu_subj)
                start = r.randrange(len(subs))
                for j in range(len(subs)):
                    sub = subs[(start + j) % len(subs)]
                    idx = C.mmlu_subj[sub]
                    head = 'The following are multiple choice questions (with answers) about %s.\n\n' % sub.replace('_', ' ')
                    shots = ''
                    if p.shots:
                        shots = ''.join(C.mmlu_plain(i, 1) + '\nAnswer: ' + C.mmlu[i][3] + '\n\n' for i in idx[:5])
                    for i in idx[5:]:
                        q = C.mmlu_plain(i, 1)
                        if p.mmlu_mode == 'cot':
                            its.append((head + q + "\n\nLet's think step by step.", 'reason', r.choice([512, 1024]), None, None, None, True))
                        elif p.mmlu_mode == 'logprobs':
                            its.append((head + shots + q + '\nAnswer:', 'mcq', 1, True, r.choice([5, 10, 20]), 1, False))
                        else:
                            its.append((head + shots + q + '\nAnswer:', 'mcq', r.choice([1, 2, 5]), None, None, None, False))
                        if len(its) >= per:
                            break
                    if len(its) >= per:
                        break
            elif s == 'gsm8k':
                start = r.randrange(len(C.gsm) - per) if len(C.gsm) > per else 0
                shots = ''.join('Question: %s\nAnswer: %s\n\n' % (q, a.split('####')[0].strip() + ' The answer is ' +
                                                                   a.split('####')[-1].strip() + '.') for q, a in C.gsm_shots)
                n0 = len(its)
                for q in C.gsm[start:start + per]:
                    if p.gsm_mode == '8shot':
                        its.append((shots + 'Question: %s\nAnswer:' % q, 'math', r.choice([256, 512]), None, None, None, False))
                    else:
                        its.append(("Solve the following math problem step by step. The last line of your response should be "
                                    "of the form \"Answer: $ANSWER\".\n\n%s\n\nRemember to put your answer on its own line "
                                    "after \"Answer:\"." % q, 'math', 1024, None, None, None, True))
                    if len(its) - n0 >= per:
                        break
            else:
                for q in C.heval[:min(per, len(C.heval))]:
                    its.append(('Complete the following Python function. Return only the code.\n\n```python\n%s```' % q,
                                'code', 512, None, None, p.he_n if p.he_n > 1 else None, False))
        return its

    def execute(self, p, out):
        W, r = self.W, self.r
        its = self.items(p)
        c = p.conc
        tw = [p.t + i * r.randint(5, 300) for i in range(c)]
        temp0 = r.choice([0.0, 0.0, 0.0, None])
        for i, (q, task, mt, lp, tlp, n, cot) in enumerate(its):
            w = i % c
            t = tw[w]
            if t >= W.end:
                break
            ep = 'completions' if lp and r.random() < .5 else None
            temp = temp0 if not (n and n > 1) else 0.8
            o = (1 if mt == 1 else r.randint(1, mt)) if task == 'mcq' else None
            e, _ = W.req(p.acct, t, self.net.get(r, t), self.cli, q, p.model, r, task=task, mt=mt, temp=temp, n=n,
                         lp=lp, tlp=tlp, stream=False, ep=ep, out=o, cot=cot)
            out.append(e)
            tw[w] = t + e['latency_ms'] + r.randint(3, 120)


APP_TYPES = [
    ('support', "You are {brand}'s customer support assistant. Be concise, friendly and accurate. If you are not sure, offer to "
                "connect the customer with a human agent. Never promise refunds.", "Customer message:\n{t}", 'chat', .5, 0),
    ('email', "You write clear, professional emails for {brand} users.", "Write a professional email based on these notes:\n\n{t}", 'write', 0, 0),
    ('summarize', "You are {brand} Digest. You summarize text for busy readers.", "Summarize the following in 3-5 bullet points:\n\n{t}", 'summ', 0, 0),
    ('grammar', "You are a writing assistant in the {brand} keyboard app.", "Correct the grammar of the following text and briefly explain the corrections:\n\n{t}", 'extract', 0, 0),
    ('product', "You write engaging e-commerce product descriptions for {brand} merchants.", "Write a product description for: {t}", 'write', 0, 0),
    ('assistant', "You are {brand} Assistant, an AI helper inside the {brand} app. Keep answers short and friendly.", "{t}", 'chat', .6, 0),
    ('recipe', "You are a cooking assistant for the {brand} recipe app.", "{t}", 'chat', .4, 0),
    ('moderation', "Classify the user text. Reply with exactly one label: SAFE, SPAM, HARASSMENT, SELF_HARM, OTHER.", "Text: {t}", 'short', 0, 0),
    ('search', "Answer the user's question using the provided search results. Cite sources as [n]. Be factual.",
     "Search results:\n{ctx}\n\nQuestion: {t}", 'chat', 0, 1),
    ('coach', "You are {brand}, a supportive career coach. Ask clarifying questions when needed.", "{t}", 'chat', .7, 0),
]


def eu_maker(r):
    k = r.randrange(4)
    if k == 0:
        return lambda i: 'u_%012x' % (hash_int('u%d' % i) & 0xffffffffffff)
    if k == 1:
        base = r.randint(10000, 900000)
        return lambda i: str(base + i * 7 + (i * i) % 7)
    if k == 2:
        salt = rstr(r, 6)
        return lambda i: 'usr-' + hashlib.md5(('%s%d' % (salt, i)).encode()).hexdigest()[:8] + '-' + \
            hashlib.md5(('%d%s' % (i, salt)).encode()).hexdigest()[:12]
    salt = rstr(r, 6)
    return lambda i: hashlib.sha256(('%s:%d' % (salt, i)).encode()).hexdigest()


class App(Pop):
    """a production app: one system prompt + template around its users' text, fixed client and parameters"""
    kind = 'benign-app'

    def __init__(self, W, r, atype=None, high=False, kind=None):
        super().__init__(W, r)
        if kind:
            self.kind = kind
        self.t = atype or r.choice(APP_TYPES)
        name, sysp, tmpl, task, conv_p, rag = self.t
        brand = r.choice(WORDS).capitalize() + r.choice(['', 'ly', 'io', 'Hub', 'AI', 'ify'])
        self.sys = sysp.format(brand=brand)
        self.tmpl = tmpl
        self.task, self.conv_p, self.rag = task, conv_p, rag
        cc = r.choice(['US', 'US', 'US', 'GB', 'DE', 'IN', 'BR', 'FR', 'SG', 'JP'])
        self.tz = r.choice(COUNTRIES[cc][1])
        dom = company_domain(r, cc, 'startup')
        org = W.new_org()
        pay, card = W.new_pay(r, CORP_BINS if r.random() < .4 else None)
        pool, ent = cloud_pool(r, r.randint(1, 4) if r.random() < .75 else r.randint(40, 200))
        self.net = PoolNet(pool)
        tier = r.choice(['tier-3', 'tier-4', 'scale']) if high else r.choice(['tier-2', 'tier-3', 'tier-4'])
        created = W.start - logu(r, 10, 500) * DAY
        ver = r.random() < .5
        self.prod = W.account(r, self.kind, created, cc, r.choice(['dev', 'eng', 'admin', 'founders', 'api', email_local(r)]),
                              dom, pay, card, pool[0][0], org, ver, tier, nkeys=r.randint(1, 3))
        self.accts.append(self.prod)
        self.staging = None
        if r.random() < .6:
            self.staging = W.account(r, self.kind, created + r.uniform(0, 30) * DAY, cc, email_local(r), dom, pay, card,
                                     pool[0][0], org, ver, 'tier-2')
            self.accts.append(self.staging)
        self.cli = mk_client(r, SERVER_FAM.pick(r))
        self.model = r.choice(['lyra-3-mini', 'lyra-3-mini', 'lyra-3', 'lyra-3-20250612', 'lyra-2.5-20240910'])
        self.adopt = W.adopt(r, .05, .3)
        self.mt = r.choice([256, 512, 800, 1024, 1024, 2048])
        self.temp = r.choice([0.0, 0.2, 0.3, 0.5, 0.7, 0.7, 1.0])
        self.stream = r.random() < .6
        self.top_p = r.choice([0.9, 0.95, 1.0]) if r.random() < .18 else None
        self.nn = r.choice([2, 3, 4]) if name in ('product', 'email') and r.random() < .4 else None
        self.lb = 5 if name == 'moderation' and r.random() < .6 else None
        self.lp = name == 'moderation' and r.random() < .5
        if name == 'moderation':
            self.mt = r.choice([1, 2, 5])
            self.stream = False
        self.ep = 'completions' if self.model.startswith('lyra-2.5') and r.random() < .6 else None
        self.rate = logu(r, 30, 90) if high else logu(r, 1.5, 15)
        self.rate *= W.scale
        self.amp = r.uniform(.15, .6)
        self.launch = int(r.uniform(0, W.days * .6)) if r.random() < .2 else 0
        self.growth = r.uniform(-.3, .8)
        self.eu_n = max(20, int(logu(r, 300, 20000) * W.scale))
        self.eu = eu_maker(r)
        self.eu_c = zipf_cum(self.eu_n, r.uniform(.7, 1.1))
        self.pass_eu = r.random() < .85
        self.clock = Clock('app', self.tz, None)
        self.params = {'type': name, 'rate_per_hour': round(self.rate, 2), 'cloud': ent.name, 'egress_ips': len(pool),
                       'client': self.cli.fam, 'model': self.model, 'max_tokens': self.mt, 'temperature': self.temp,
                       'end_users': self.eu_n, 'passes_end_user_id': self.pass_eu, 'launch_day': self.launch,
                       'amplitude': round(self.amp, 2), 'staging': bool(self.staging)}

    def text(self, r):
        C = self.W.C
        x = r.random()
        if x < .4:
            return r.choice(C.dolly)
        if x < .55:
            return r.choice(C.oasst)
        if x < .95:
            return r.choice(C.sg)[0][:3000]
        return r.choice(C.arena)

    def day(self, d):
        W, r = self.W, self.r
        if d < self.launch:
            return []
        d0 = W.start + d * DAY
        g = 1 + self.growth * (d - self.launch) / max(1, W.days - self.launch)
        wk = .8 if W.dow(d) >= 5 else 1.0
        mean_turns = 1 + self.conv_p * 1.8
        lam = self.rate * 24 * g * wk / mean_turns
        out = []
        for _ in range(poisson(r, lam)):
            t = d0 + int(r.random() * DAY)
            if r.random() > (1 - self.amp) + self.amp * self._shape(t):
                continue
            self.unit(t, out)
        if self.staging is not None:
            for _ in range(poisson(r, 6 if W.dow(d) < 5 else .5)):
                self.unit(d0 + (int(r.uniform(8, 19) * HOUR) - int(self.tz * HOUR)) % DAY, out, self.staging)
        return out

    def _shape(self, t):
        h = int((t // HOUR) % 24)
        cum = self.clock.cum
        w = cum[h] - (cum[h - 1] if h else 0)
        return w / (self.clock.tot / 24.0) / 1.4

    def unit(self, t, out, acct=None):
        W, r = self.W, self.r
        a = acct or self.prod
        if t <= a.created:
            return
        eu_i = self.eu_c.pick(r)
        eu = self.eu(eu_i) if self.pass_eu else None
        model = W.model_at(self.model, self.adopt, t)
        txt = self.text(r)
        ctx = ''
        if self.rag:
            ctx = '\n'.join('[%d] %s' % (i + 1, r.choice(W.C.dolly)) for i in range(r.randint(2, 5)))
            e, _ = W.req(a, t, self.net.get(r, t), self.cli, txt[:2000], 'lyra-embed-2', r, ep='embeddings', eu=eu,
                         stream=False)
            out.append(e)
            t += e['latency_ms'] + r.randint(20, 200)
        first = self.tmpl.format(t=txt, ctx=ctx)
        turns = [first]
        if self.conv_p and r.random() < self.conv_p:
            for _ in range(r.randint(1, 5)):
                turns.append(r.choice(HUMAN_FOLLOW) if r.random() < .6 else r.choice(W.C.dolly))
        evs, _ = run_conv(W, r, a, t, turns, self.net.get(r, t), self.cli, model, system=self.sys, task=self.task,
                          mt=self.mt, temp=self.temp, stream=self.stream, eu=eu, gap=(30, .8), typing=True,
                          top_p=self.top_p, n=self.nn, lb=self.lb, lp=self.lp or None, tlp=5 if self.lp else None,
                          ep=self.ep)
        out.extend(evs)


class Batch(Pop):
    """document classification / translation / extraction at a steady rate around the clock"""
    kind = 'benign-batch'
    JOBS = [("Classify the following support ticket into exactly one category: billing, technical, account, shipping, other.\n\n"
             "Ticket:\n{t}\n\nCategory:", 'short', 8),
            ("Translate the following text into {lang}. Output only the translation.\n\n{t}", 'translate', 1024),
            ("Extract all people, organizations and locations from the text below as JSON with keys "
             "\"people\", \"orgs\", \"locations\".\n\n{t}", 'extract', 256),
            ("Rate the sentiment of this review from 1 (very negative) to 5 (very positive). Reply with the number only.\n\nReview: {t}",
             'short', 4),
            ("Write a one-sentence summary of the following document.\n\n{t}", 'summ', 128)]

    def __init__(self, W, r):
        super().__init__(W, r)
        self.job = r.choice(self.JOBS)
        self.lang = r.choice(LANGS)
        cc = r.choice(['US', 'DE', 'GB', 'NL', 'IN', 'JP', 'FR'])
        dom = company_domain(r, cc, 'corp')
        org = W.new_org() if r.random() < .7 else None
        pay, card = W.new_pay(r, CORP_BINS)
        pool, ent = cloud_pool(r, r.randint(1, 2))
        self.net = PoolNet(pool)
        created = W.start - logu(r, 20, 400) * DAY
        self.acct = W.account(r, self.kind, created, cc, r.choice(['data', 'ops', 'ml-team', email_local(r)]), dom, pay, card,
                              pool[0][0], org, r.random() < .6, r.choice(['tier-3', 'tier-4']))
        self.accts.append(self.acct)
        self.cli = mk_client(r, r.choice(['go', 'java', 'openai-py', 'anthropic-py', 'openai-js']))
        self.mode = r.choice(['steady', 'steady', 'batch'])
        self.rate = logu(r, 3, 18) * W.scale
        self.model = r.choice(['lyra-3-mini', 'lyra-3-mini', 'lyra-2.5'])
        self.start_d = int(r.uniform(0, W.days * .4)) if r.random() < .4 else 0
        self.lb = r.choice([4, 5, 6]) if self.job[1] == 'short' and r.random() < .5 else None
        self.stop_d = W.days if r.random() < .7 else int(r.uniform(W.days * .6, W.days))
        self.params = {'job': self.job[0][:40], 'mode': self.mode, 'rate_per_hour': round(self.rate, 1),
                       'client': self.cli.fam, 'model': self.model, 'active_days': [self.start_d, self.stop_d]}

    def doc(self, r):
        C = self.W.C
        return r.choice(C.dolly) if r.random() < .5 else r.choice(C.sg)[0][:2500]

    def day(self, d):
        W, r = self.W, self.r
        if not (self.start_d <= d < self.stop_d):
            return []
        d0 = W.start + d * DAY
        out = []
        tmpl, task, mt = self.job
        ep = 'batch' if self.mode == 'batch' else None
        lb = self.lb
        if self.mode == 'steady':
            gap = HOUR / self.rate
            t = d0 + r.random() * gap
            while t < d0 + DAY:
                e, _ = W.req(self.acct, t, self.net.get(r, t), self.cli, tmpl.format(t=self.doc(r), lang=self.lang),
                             self.model, r, task=task, mt=mt, temp=0.0, stream=False, lb=lb)
                out.append(e)
                t += gap * r.uniform(.5, 1.5)
        else:
            nb = r.randint(2, 8)
            for b in range(nb):
                t = d0 + int(r.random() * DAY)
                size = int(self.rate * 24 / nb * r.uniform(.5, 1.5))
                dur = r.uniform(10, 60) * MIN
                for i in range(size):
                    ts = t + int(dur * i / max(1, size)) + r.randint(0, 3000)
                    e, _ = W.req(self.acct, ts, self.net.get(r, ts), self.cli, tmpl.format(t=self.doc(r), lang=self.lang),
                                 self.model, r, task=task, mt=mt, temp=0.0, stream=False, ep=ep, lb=lb)
                    out.append(e)
        return out


class Tutor(App):
    """an AI tutoring app that wraps every student's question in a step-by-step reasoning system prompt"""
    kind = 'benign-tutor'
    SYS = ["You are {brand}, a patient tutor for high-school and university students. Always reason step by step, show all of "
           "your working, and explain why each step is valid before giving the final answer. Never just give the answer.",
           "You are {brand} Tutor. Think through each problem carefully and explain your reasoning in detail, step by step, "
           "so the student learns the method. End with 'Final answer:' on its own line.",
           "You are a Socratic math and science tutor called {brand}. Break every problem into small steps, explain each one, "
           "and check the result at the end."]

    def __init__(self, W, r):
        brand = r.choice(WORDS).capitalize() + r.choice(['', 'Learn', 'Tutor', 'Study', 'Math'])
        t = ('tutor', r.choice(self.SYS).replace('{brand}', brand), r.choice(['{t}', 'Student question: {t}', '{t}']), 'math', .45, 0)
        super().__init__(W, r, t)
        self.rate = logu(r, 2, 9) * W.scale
        self.clock = Clock('school', self.tz, None)
        self.amp = r.uniform(.6, .9)
        self.think = r.random() < .4
        self.mt = r.choice([1024, 2048, 2048, 4096])
        self.temp = r.choice([0.2, 0.3, 0.5, None])
        self.params.update({'type': 'tutor', 'rate_per_hour': round(self.rate, 2), 'thinking': self.think,
                            'max_tokens': self.mt})

    def text(self, r):
        C = self.W.C
        x = r.random()
        if x < .4:
            return r.choice(C.gsm)
        if x < .6:
            return C.mmlu_plain(r.randrange(len(C.mmlu)), 0)
        if x < .72:
            return r.choice(C.calpaca)
        if x < .85:
            return r.choice(C.dolly)
        return r.choice(C.sg)[0][:1500]

    def unit(self, t, out, acct=None):
        W, r = self.W, self.r
        a = acct or self.prod
        if t <= a.created:
            return
        eu = self.eu(self.eu_c.pick(r))
        q = self.text(r)
        turns = [self.tmpl.format(t=q)]
        if r.random() < self.conv_p:
            for _ in range(r.randint(1, 4)):
                turns.append(r.choice(["I don't get step 2", "why?", "can you show another example?", "so what's the answer?",
                                       "wait, why do we divide there?", "ok I understand now, thanks",
                                       "can you check my answer? I got " + str(r.randint(2, 500))]))
        evs, _ = run_conv(W, r, a, t, turns, self.net.get(r, t), self.cli, W.model_at(self.model, self.adopt, t),
                          system=self.sys, task=task_of(q) if r.random() < .3 else 'math', mt=self.mt, temp=self.temp,
                          think=self.think or None, stream=True, eu=eu, gap=(40, .8), cot=True, force_cid=True)
        out.extend(evs)


class Wrapper(Pop):
    """a chat product serving many end users through a few accounts (params forwarded from its users)"""
    kind = 'benign-wrapper'

    def __init__(self, W, r, kind=None, campaign=None):
        super().__init__(W, r)
        if kind:
            self.kind = kind
        cc = r.choice(['US', 'US', 'SG', 'DE', 'GB', 'IN', 'BR', 'KR', 'VN', 'TR', 'ID'])
        dom = company_domain(r, cc, 'startup')
        org = W.new_org() if r.random() < .7 else None
        pay, card = W.new_pay(r, CORP_BINS if r.random() < .3 else None)
        pool, ent = cloud_pool(r, r.randint(1, 4))
        self.net = PoolNet(pool)
        k = r.randint(1, 3 if campaign else 4)
        shared_card = r.random() < .7
        for i in range(k):
            if not shared_card and i:
                pay, card = W.new_pay(r)
            a = W.account(r, self.kind, W.start - logu(r, 30, 600) * DAY, cc, email_local(r), dom, pay, card, pool[0][0],
                          org, r.random() < .3, r.choice(['tier-3', 'tier-4']), campaign, nkeys=r.randint(1, 3))
            self.accts.append(a)
        self.cli = mk_client(r, SERVER_FAM.pick(r))
        self.eu_n = max(30, int(logu(r, 300, 6000) * W.scale))
        self.eu = eu_maker(r)
        self.eu_c = zipf_cum(self.eu_n, r.uniform(.8, 1.1))
        self.pass_eu = r.random() < .8
        self.eu_cc = [CC_CUM.pick(r) if r.random() < .6 else cc for _ in range(self.eu_n)]
        self.clocks = {}
        for c in set(self.eu_cc):
            self.clocks[c] = Clock('evening', COUNTRIES[c][1][0], None)
        self.eu_pref = [(pick_model(r, (5, 40, 40, 15)), r.choice([None, None, 1024, 2048, 4096, 8192]),
                         r.choice([None, None, 0.7, 1.0, 0.3, 0.9])) for _ in range(min(self.eu_n, 5000))]
        self.adopt = W.adopt(r, .5, .4)
        self.rate = logu(r, 2, 12) * W.scale
        self.params = {'accounts': k, 'end_users': self.eu_n, 'rate_per_hour': round(self.rate, 2), 'client': self.cli.fam,
                       'passes_end_user_id': self.pass_eu, 'cloud': ent.name}

    def genuine(self, d, out):
        W, r = self.W, self.r
        d0 = W.start + d * DAY
        for _ in range(poisson(r, self.rate * 24 / 2.2)):
            i = self.eu_c.pick(r)
            t = self.clocks[self.eu_cc[i]].t(r, d0)
            model, mt, temp = self.eu_pref[i % len(self.eu_pref)]
            a = self.accts[i % len(self.accts)]
            turns = casual_script(W.C, r, .65, 8)
            evs, _ = run_conv(W, r, a, t, turns, self.net.get(r, t), self.cli, W.model_at(model, self.adopt, t), mt=mt,
                              temp=temp, stream=True, eu=self.eu(i) if self.pass_eu else None, task=task_of(turns[0]),
                              gap=(35, .9), force_cid=True, top_p=0.95 if (i % 11 == 3) else None)
            out.extend(evs)

    def day(self, d):
        out = []
        self.genuine(d, out)
        return out


class Hackathon(Pop):
    """50-150 fresh accounts signing up within hours at one venue and working in lockstep for two days"""
    kind = 'benign-hackathon'

    def __init__(self, W, r):
        super().__init__(W, r)
        cc = r.choice(['US', 'US', 'GB', 'DE', 'IN', 'CA', 'FR', 'SG', 'BR'])
        tz = r.choice(COUNTRIES[cc][1])
        self.tz = tz
        if r.random() < .4:
            u = r.choice([u for u in UNIS if u[3] == cc] or UNIS)
            b, sz = _p4(u[2])
            venue = [(v4s((b + r.randrange(sz)) | 1), u[1], u[3]) for _ in range(r.randint(1, 2))]
        else:
            ent = r.choice(BIZ_BY_CC.get(cc) or BIZ_BY_CC['US'])
            venue = [ent.ip4(r) for _ in range(r.randint(1, 2))]
        self.venue = PoolNet(venue)
        self.day0 = r.randint(3, W.days - 4)
        self.t0 = W.start + self.day0 * DAY + int((9 - tz) * HOUR)
        self.t1 = self.t0 + 30 * HOUR
        n = W.n(r, 50, 150, lo=8)
        starter = mk_client(r, r.choice(['openai-py', 'anthropic-py', 'openai-js']))
        sm = r.choice(['lyra-3', 'lyra-3-mini'])
        self.people = []
        teams = []
        while sum(len(t) for t in teams) < n:
            teams.append([None] * r.randint(2, 5))
        for team in teams:
            tsys = r.choice(GENERIC_SYS + ['You are an assistant for a %s app. %s' % (r.choice(['travel', 'study', 'fitness', 'recipe', 'finance', 'music']),
                                                                                   r.choice(['Answer in JSON.', 'Be brief.', 'Use markdown.']))])
            ttmpl = r.choice(['{t}', 'User request: {t}', '{t}\n\nRespond in JSON with keys "answer" and "tags".', 'Context: hackathon demo.\n{t}'])
            for j in range(len(team)):
                p = P()
                created = self.t0 - 2 * HOUR + r.uniform(0, 5) * HOUR if r.random() < .85 else self.t0 - logu(r, 1, 20) * DAY
                dom = freemail(r, cc) if r.random() < .7 else (r.choice(UNIS)[0] if r.random() < .5 else company_domain(r, cc))
                p.a = W.account(r, self.kind, created, cc, email_local(r), dom, None, None, self.venue.get(r, created)[0],
                                None, False, 'tier-1')
                self.accts.append(p.a)
                p.cli = starter if r.random() < .75 else mk_client(r, DEV_FAM.pick(r))
                p.sys, p.tmpl = tsys, ttmpl
                p.model = sm if r.random() < .8 else pick_model(r)
                p.rate = logu(r, 2, 12)
                p.home = HomeNet(W, r, cc)
                p.after = clamp(lognorm(r, .3, .8), .05, 2) if r.random() < .2 else 0
                p.clock = Clock('dev', tz, r, .3)
                self.people.append(p)
        self.accts = [p.a for p in self.people]
        self.params = {'participants': len(self.people), 'teams': len(teams), 'day': self.day0, 'venue_ips': len(venue),
                       'starter_client': starter.ua, 'model': sm}

    def day(self, d):
        W, r = self.W, self.r
        d0 = W.start + d * DAY
        out = []
        # hacking sessions: everybody active in the same blocks of hours
        blocks = [(self.t0 + HOUR, self.t0 + 4 * HOUR), (self.t0 + 5 * HOUR, self.t0 + 9 * HOUR),
                  (self.t0 + 10 * HOUR, self.t0 + 15 * HOUR), (self.t0 + 24 * HOUR, self.t0 + 29 * HOUR)]
        for lo, hi in blocks:
            lo2, hi2 = max(lo, d0), min(hi, d0 + DAY)
            if lo2 >= hi2:
                continue
            for p in self.people:
                for _ in range(poisson(r, p.rate * (hi2 - lo2) / HOUR)):
                    t = lo2 + int(r.random() * (hi2 - lo2))
                    if t <= p.a.created:
                        continue
                    text = p.tmpl.format(t=r.choice(W.C.dolly) if r.random() < .6 else r.choice(W.C.calpaca))
                    e, _ = W.req(p.a, t, self.venue.get(r, t), p.cli, text, p.model, r, system=p.sys, task='chat',
                                 mt=1024, temp=0.7, stream=False)
                    out.append(e)
        if d > self.day0 + 1:
            for p in self.people:
                if p.after:
                    for _ in range(poisson(r, p.after)):
                        t = p.clock.t(r, d0)
                        evs, _ = run_conv(W, r, p.a, t, casual_script(W.C, r), p.home.get(r, t), p.cli, p.model,
                                          gap=(30, .8))
                        out.extend(evs)
        return out


class RedTeam(Pop):
    """an evaluation team at a lab: red-teaming dialogues and long multi-turn conversations"""
    kind = 'benign-redteam'

    def __init__(self, W, r):
        super().__init__(W, r)
        cc = r.choice(['US', 'US', 'GB', 'FR', 'CA'])
        tz = r.choice(COUNTRIES[cc][1])
        dom = company_domain(r, cc, r.choice(['corp', 'startup']))
        org = W.new_org()
        pay, card = W.new_pay(r, CORP_BINS)
        ent = r.choice(BIZ_BY_CC.get(cc) or BIZ_BY_CC['US'])
        self.office = PoolNet([ent.ip4(r) for _ in range(r.randint(1, 2))])
        k = W.n(r, 3, 10, lo=2)
        self.people = []
        for _ in range(k):
            p = P()
            p.a = W.account(r, self.kind, W.start - logu(r, 10, 300) * DAY, cc, email_local(r, r.uniform(0, .5)), dom, pay,
                            card, self.office.pool[0][0], org, True, 'tier-4')
            self.accts.append(p.a)
            p.cli = mk_client(r, r.choice(['openai-py', 'anthropic-py', 'chrome-mac', 'httpx']))
            p.clock = Clock('office', tz, r, .2)
            self.people.append(p)
        self.sprints = []
        for _ in range(r.randint(1, 2)):
            s = r.randint(0, W.days - 5)
            self.sprints.append((s, s + r.randint(5, 15)))
        self.mt = r.choice([1024, 2048, 4096])
        self.model = r.choice(['lyra-3', 'lyra-3-large'])
        self.params = {'accounts': k, 'sprints': self.sprints, 'model': self.model}

    def day(self, d):
        W, r = self.W, self.r
        d0 = W.start + d * DAY
        sprint = any(a <= d < b for a, b in self.sprints)
        if W.dow(d) >= 5:
            return []
        out = []
        C = W.C
        for p in self.people:
            for _ in range(poisson(r, r.uniform(3, 10) if sprint else .15)):
                t = p.clock.t(r, d0)
                x = r.random()
                turns = r.choice(C.hh) if x < .65 else r.choice(C.sg_long) if x < .85 else r.choice(C.mtb)
                model = W.model_at(self.model, W.release + DAY, t)
                evs, _ = run_conv(W, r, p.a, t, turns, self.office.get(r, t), p.cli, model, mt=self.mt, temp=1.0,
                                  stream=not p.cli.sdk, gap=(20, .7), force_cid=True)
                out.extend(evs)
        return out


def build_benign(W, r):
    pops = W.pops
    pops.append(Casual(W, W.sub()))
    pops.append(Power(W, W.sub()))
    pops.append(Agents(W, W.sub()))
    for _ in range(r.randint(2, 5)):
        pops.append(Enterprise(W, W.sub()))
    for _ in range(r.randint(3, 8)):
        pops.append(Team(W, W.sub()))
    for u in r.sample(UNIS, r.randint(1, 3)):
        pops.append(Campus(W, W.sub(), u))
    for _ in range(r.randint(2, 5)):
        pops.append(Bench(W, W.sub()))
    types = r.sample(APP_TYPES, r.randint(3, 6))
    hi = r.randrange(len(types)) if r.random() < .6 else -1
    for i, t in enumerate(types):
        pops.append(App(W, W.sub(), t, high=(i == hi)))
    pops.append(Mobile(W, W.sub()))
    pops.append(VpnUsers(W, W.sub()))
    for _ in range(r.choice([0, 1, 1, 1, 2])):
        pops.append(Hackathon(W, W.sub()))
    for _ in range(r.randint(1, 2)):
        pops.append(Batch(W, W.sub()))
    for _ in range(r.randint(1, 2)):
        pops.append(Tutor(W, W.sub()))
    for _ in range(r.randint(1, 3)):
        pops.append(Wrapper(W, W.sub()))
    if r.random() < .6:
        pops.append(RedTeam(W, W.sub()))
    pops.append(NightShift(W, W.sub()))
    pops.append(Returning(W, W.sub()))


# ============================================================================= distillation campaigns
HTEMPLATES = ["### Instruction:\n{p}\n\n### Response:", "Question: {p}\nAnswer:", "Task: {p}", "<task>\n{p}\n</task>",
              "Please answer the following.\n\n{p}", "User: {p}\nAssistant:", "Input:\n{p}\n\nOutput:", "[INST] {p} [/INST]"]


class Harvest:
    """what a harvester asks: sweeps through capability pools, replays, wrappers, CoT elicitation, paraphrase"""

    def __init__(self, W, r, P):
        self.W, self.P = W, P
        C = W.C
        self.caps = list(P['caps'])
        self.capc = Cum(self.caps, [P['caps'][c] for c in self.caps])
        self.seq, self.pos = {}, {}
        for c in self.caps + ['replay']:
            n = len(C.pool(c))
            if P['order'] == 'ordered' and c != 'replay':
                self.seq[c] = None
                self.pos[c] = r.randrange(n)
            else:
                s = list(range(n))
                r.shuffle(s)
                self.seq[c] = s
                self.pos[c] = 0
        self.cot_fixed = r.choice(COT_PHRASES)
        self.sys_fixed = r.choice(REASON_SYS)
        self.sys_pool = r.sample(REASON_SYS, 3)
        self.gen_sys = r.choice(GENERIC_SYS)
        self.tmpl = r.choice(HTEMPLATES)
        self.mean_turns = 1 + P['followup_p'] * 2 + P['replay_share'] * 1.5

    def take(self, cap):
        pool = self.W.C.pool(cap)
        n = len(pool)
        i = self.pos[cap]
        self.pos[cap] = i + 1
        s = self.seq[cap]
        return (pool[s[i % n]] if s is not None else pool[i % n]), (i // n if s is not None else 0)

    def cot(self, text, r):
        P = self.P
        st = P['cot_style']
        ph = self.cot_fixed if st == 'fixed' else r.choice(COT_PHRASES) if st == 'varied' else cot_para(r)
        pos = P['cot_pos'] if P['cot_pos'] != 'mixed' else r.choice(['suffix', 'prefix'])
        return ph + '\n\n' + text if pos == 'prefix' else text + '\n\n' + ph

    def next(self, r):
        P = self.P
        replay = r.random() < P['replay_share']
        (turns, task, tools), passes = self.take('replay' if replay else self.capc.pick(r))
        turns = list(turns[:8])
        if passes or r.random() < P['perturb_p']:
            turns[0] = perturb(turns[0], r, P['perturb_strength'] + .2 * min(passes, 2), numbers=(task == 'math'))
        cot = False
        if r.random() < P['cot_p'] * (.5 if replay else 1):
            turns[0] = self.cot(turns[0], r)
            cot = True
        if P['template'] and not replay:
            turns[0] = self.tmpl.format(p=turns[0])
        if r.random() < P['followup_p']:
            for _ in range(r.randint(1, 3)):
                turns.append(r.choice(CAMP_FOLLOW) if r.random() < .8 else perturb(r.choice(CAMP_FOLLOW), r, .6))
        ss = P['sys_style']
        sysp = None
        if ss == 'fixed':
            sysp = self.sys_fixed
        elif ss == 'rotating':
            sysp = r.choice(self.sys_pool)
        elif ss == 'generic':
            sysp = self.gen_sys
        if sysp and 'reason' in sysp.lower():
            cot = True
        return turns, sysp, task, tools, cot


class CNet:
    """proxy infrastructure of a campaign"""

    def __init__(self, W, r, P):
        self.W = W
        self.mode = P['network']
        self.rot = P['rotation']
        self.hostent = r.choice(HOSTING[:3] + [NET_BY[x] for x in ('hetzner', 'ovh', 'digitalocean', 'vultr', 'linode', 'alibaba')])
        self.blocks = [self.hostent.block24(r) for _ in range(r.randint(1, 6))]
        ccs = r.sample(sorted(ISP_BY_CC), min(len(ISP_BY_CC), P.get('resi_countries', 8)))
        self.resi_cc = Cum(ccs, [COUNTRIES[c][0] * r.uniform(.3, 2) for c in ccs])
        self.mob_cc = [c for c in ccs if c in MOB_BY_CC] or ['US']
        v6ents = [n for n in HOSTING + CLOUDS if n.v6]
        self.v6ent = r.choice(v6ents)
        self.v6base, self.v6cc = self.v6ent.prefix(r, 48)
        self.vpn = r.choice(W.vpn)
        self.decl = r.sample(['US', 'US', 'GB', 'DE', 'IN', 'SG', 'CA', 'FR', 'JP', 'BR', 'NL', 'KR'], r.randint(1, 5))

    def fresh(self, r, mode):
        if mode == 'dc':
            b, cc = r.choice(self.blocks)
            return (v4s(b | r.randint(1, 254)), self.hostent.asn, cc)
        if mode == 'resi':
            cc = self.resi_cc.pick(r)
            ent = r.choice(ISP_BY_CC[cc])
            if ent.v6 and r.random() < .15:
                return (v6s(ent.prefix(r, 64)[0] | r.getrandbits(64)), ent.asn, cc)
            return ent.ip4(r)
        if mode == 'mobile':
            cc = r.choice(self.mob_cc)
            ent = r.choice(MOB_BY_CC[cc])
            if ent.v6 and r.random() < .3:
                return (v6s(ent.prefix(r, 64)[0] | r.getrandbits(64)), ent.asn, cc)
            return r.choice(self.W.cgnat[ent.name])
        if mode == 'ipv6':
            return (v6s(self.v6base | r.getrandbits(80)), self.v6ent.asn, self.v6cc)
        return r.choice(self.vpn)

    def state(self, r):
        m = self.mode if self.mode != 'mixed' else r.choice(['dc', 'resi', 'mobile', 'ipv6', 'vpn'])
        return {'m': m, 'ip': self.fresh(r, m), 'until': 0}

    def get(self, r, st, t, new_session):
        if self.rot == 'request' or (self.rot == 'session' and new_session):
            st['ip'] = self.fresh(r, st['m'])
        elif self.rot == 'sticky' and t > st['until']:
            if st['until']:
                st['ip'] = self.fresh(r, st['m'])
            st['until'] = t + int(logu(r, 1, 10) * DAY)
        return st['ip']


class Campaign(CampaignBase):
    def __init__(self, W, r, cid, P):
        super().__init__(W, r)
        self.cid = cid
        self.params = P
        self.kind = 'campaign-' + P['label']
        self.content = Harvest(W, r, P)
        self.net = CNet(W, r, P)
        self.c_start = W.start + int(P['start_day'] * DAY)
        self.c_end = W.start + int(P['end_day'] * DAY)
        # clients
        self.cli0 = mk_client(r, r.choice(['openai-py', 'openai-py', 'anthropic-py', 'httpx', 'aiohttp', 'requests', 'openai-js', 'go']))
        self.clipool = [mk_client(r, DEV_FAM.pick(r)) for _ in range(r.randint(3, 6))]
        self.spoof_tls = r.choice(STACKS['py3'] + STACKS['go'] + STACKS['node'])
        # identity
        self.domains = [company_domain(r, 'US', r.choice(['personal', 'startup'])) for _ in range(r.randint(2, 6))]
        self.nd_fmt = r.choice(['{f}{l}{d}', '{f}.{l}{d}', '{f}{d}', '{f}_{l}{d}', '{l}{f}{d}'])
        self.nd_digits = r.choice([2, 3, 4, 4])
        self.rnd_len = (r.randint(6, 9), r.randint(10, 14))
        self.bins = r.sample(PREPAID_BINS, r.randint(1, 2))
        self.card = None
        self.card_left = 0
        self.switch_t = W.release + int(logu(r, .4, 8) * HOUR) if P['switch_new'] else None
        self.clock = Clock(P['prof'], P['tz'], r, .15)
        self.rr = 0
        self.slots = []
        self.build_slots(r)
        self.probes = []
        for _ in range(P['probe_accounts']):
            s0 = max(self.c_start, W.start) + int(r.uniform(0, max(1, (self.c_end - max(self.c_start, W.start)) / DAY - 3)) * DAY)
            sl = self.mk_slot(r, s0 - int(logu(r, 1, 48) * HOUR), s0, min(self.c_end, s0 + int(logu(r, 3, 30) * DAY)), False, 'campaign-probe')
            sl.cli = self.cli0 if r.random() < .6 else mk_client(r, 'requests')
            self.probes.append(sl)
        C = W.C
        pp = [C.mmlu_plain(i, 1) + '\nAnswer:' for i in r.sample(range(len(C.mmlu)), r.randint(6, 30))]
        pp += ['The capital of %s is' % x for x in r.sample(['France', 'Japan', 'Kenya', 'Peru', 'Norway', 'Vietnam'], 3)]
        pp += [t.split('.')[0] for t in r.sample(C.ultra, 4)]
        self.probe_prompts = pp
        self.lb_seq = r.choice([[0, 1, 2, 5, 10, 20, 50, 100, 200, 300], [1] * 6 + [2] * 3, [0, 1, 3, 10, 30, 100, 300]])
        self.params = dict(P)
        self.params['accounts_total'] = len(self.accts)

    # -- identities
    def email(self, r):
        P = self.params
        st = P['email_local']
        if st == 'mixed':
            st = r.choice(['namedigits', 'random', 'realistic'])
        if st == 'namedigits':
            loc = self.nd_fmt.format(f=r.choice(FIRST), l=r.choice(LAST), d=''.join(r.choices('0123456789', k=self.nd_digits)))
        elif st == 'random':
            loc = rstr(r, r.randint(*self.rnd_len), LOWDIG)
        else:
            loc = email_local(r)
        dm = P['email_domain']
        if dm == 'mixed':
            dm = r.choice(['freemail', 'custom'])
        dom = r.choice(self.domains) if dm == 'custom' else (FREEMAIL.pick(r) if r.random() < .8 else 'gmail.com')
        return loc, dom

    def payment(self, r):
        m = self.params['payment']
        if m == 'mix':
            m = r.choice(['prepaid_batch', 'unique', 'none', 'unique'])
        if m == 'none':
            return None, None
        if m == 'unique':
            return self.W.new_pay(r)
        if self.card_left <= 0:
            self.card = self.W.new_pay(r, self.bins)
            self.card_left = r.randint(max(1, self.params['card_reuse'] - 2), self.params['card_reuse'] + 2)
        self.card_left -= 1
        return self.card

    def client_for(self, r):
        m = self.params['clients']
        if m == 'single':
            return self.cli0
        if m == 'pool':
            return r.choice(self.clipool)
        if m == 'many':
            return mk_client(r, DEV_FAM.pick(r) if r.random() < .8 else SERVER_FAM.pick(r))
        if m == 'spoof':
            return mk_browser(r, r.choice(BROWSERS), 'chat.completions' if r.random() < .5 else 'messages', tls=self.spoof_tls)
        return mk_browser(r, CONSUMER_FAM.pick(r))  # real browser automation

    def mk_slot(self, r, created, start, end, sleeper, kind=None):
        W, P = self.W, self.params
        s = P_()
        s.st = self.net.state(r)
        sip = s.st['ip']
        loc, dom = self.email(r)
        pay, card = self.payment(r)
        cc = sip[2] if s.st['m'] in ('resi', 'mobile') and r.random() < .85 else r.choice(self.net.decl)
        tier = 'free' if not pay else ('tier-2' if sleeper else 'tier-1')
        org = W.new_org() if P['declared_org'] and r.random() < .7 else None
        s.a = W.account(r, kind or self.kind, created, cc, loc, dom, pay, card, sip[0], org, False, tier, self.cid)
        self.accts.append(s.a)
        s.start, s.end = start, end
        s.cli = self.client_for(r)
        s.pre = None
        if sleeper:
            s.pre = max(W.start, created + 2 * DAY)
            s.pre_lam = logu(r, .08, .5)
            s.pre_cli = mk_browser(r, CONSUMER_FAM.pick(r))
            s.pre_clock = Clock('evening', r.choice(COUNTRIES.get(cc, COUNTRIES['US'])[1]), r, .3)
        self.slots.append(s) if kind is None else None
        return s

    def build_slots(self, r):
        W, P = self.W, self.params
        K = P['concurrent']
        life = P['lifetime_days']
        burst_at = self.c_start - int(r.uniform(.5, 6) * DAY)
        for k in range(K):
            mode = P['signup'] if P['signup'] != 'mixed' else r.choice(['burst', 'trickle', 'sleeper'])
            if mode == 'burst':
                t = self.c_start + int(r.uniform(0, 8) * HOUR)
                created = burst_at + int(r.uniform(0, 5) * HOUR)
            elif mode == 'trickle':
                t = self.c_start + int(r.uniform(0, P['ramp_days']) * DAY)
                created = t - int(logu(r, .5, 72) * HOUR)
            else:
                t = self.c_start + int(r.uniform(0, P['ramp_days'] + 5) * DAY)
                created = W.start - int(logu(r, 60, 400) * DAY)
            t = max(t, W.start if mode != 'sleeper' else t)
            first = True
            while t < self.c_end:
                L = int(r.expovariate(1.0 / life) * DAY) + 2 * HOUR if life else 10 ** 13
                end = min(self.c_end, t + L)
                if not first:
                    created = t - int(logu(r, .2, 8) * HOUR)
                self.mk_slot(r, created, t, end, first and mode == 'sleeper')
                if not life:
                    break
                t = end + int(logu(r, P['replace_delay_h'] * .3, P['replace_delay_h'] * 3) * HOUR)
                first = False

    def key(self, s, t):
        kd = self.params['key_rotation_days']
        if not kd:
            return None
        i = max(0, int((t - s.start) // (kd * DAY)))
        while len(s.a.keys) <= i:
            s.a.keys.append(self.W.new_key())
        return s.a.keys[i]

    def model_at(self, t, r):
        if self.switch_t and t >= self.switch_t and r.random() < .92:
            return self.W.newm[0] if r.random() < .8 else self.W.newm[2]
        return self.params['model']

    def draw_params(self, r, model, cli):
        P = self.params
        ceil = MODELS[MODEL_BASE.get(model, 'lyra-3')]['ceil']
        m = P['max_tokens']
        mt = ceil if m == 'ceiling' else P['mt_fixed'] if m == 'fixed' else \
            r.choice([None, None, 1024, 2048, 4096, 1500, 3000, 8192]) if m == 'random' else None
        tm = P['temperature']
        temp = P['temp_fixed'] if tm == 'fixed' else ((None if r.random() < .5 else round(r.uniform(.2, 1.0), 1))
                                                      if tm == 'random' else None)
        n = P['n'] if P['n'] > 1 and cli.ep == 'chat.completions' else None
        think = True if r.random() < P['thinking_p'] else None
        stream = P['stream'] if P['stream'] is not None else r.random() < .5
        return mt, temp, P['top_p'], n, think, stream

    def unit(self, s, t, out):
        W, r, P = self.W, self.r, self.params
        turns, sysp, task, tools, cot = self.content.next(r)
        cli = self.client_for(r) if P['ua_rotate'] else s.cli
        net = self.net.get(r, s.st, t, True)
        model = self.model_at(t, r)
        cid = W.cid() if len(turns) > 1 else None
        hist = 0
        key = self.key(s, t)
        for i, text in enumerate(turns):
            if i and self.net.rot == 'request':
                net = self.net.get(r, s.st, t, False)
            mt, temp, top_p, n, think, stream = self.draw_params(r, model, cli)
            e, o = W.req(s.a, t, net, cli, text, model, r, system=sysp,
                         task=task if i == 0 or task in ('code', 'math') else 'followup', hist=hist, mt=mt, temp=temp,
                         top_p=top_p, n=n, think=think, stream=stream, tools=tools or None, conv=cid, turn=i + 1, cot=cot,
                         harvest=True, key=key)
            out.append(e)
            hist += tok(text) + o
            if P['gap'] == 'scripted':
                t += e['latency_ms'] + int(r.uniform(.2, 4) * 1000)
            else:
                t += e['latency_ms'] + int(lognorm(r, 40, .8) * 1000) + (len(turns[i + 1]) * 180 if i + 1 < len(turns) else 0)

    def day(self, d):
        W, r, P = self.W, self.r, self.params
        d0 = W.start + d * DAY
        d1 = d0 + DAY
        out = []
        # sleepers: light human-looking use before being turned
        for s in self.slots:
            if s.pre is not None and s.pre < d1 and s.start > d0:
                for _ in range(poisson(r, s.pre_lam)):
                    t = s.pre_clock.t(r, d0)
                    if s.pre <= t < s.start:
                        evs, _ = run_conv(W, r, s.a, t, casual_script(W.C, r), self.net.get(r, s.st, t, True), s.pre_cli,
                                          pick_model(r), stream=True, gap=(40, .9), force_cid=True)
                        for e in evs:
                            e.pop('_h', None)
                        out.extend(evs)
        active = [s for s in self.slots if s.start < d1 and s.end > d0]
        if active:
            units = P['rate'] / self.content.mean_turns
            tm = P['timing']
            if tm == 'roundrobin':
                gap = HOUR / (units * len(active))
                t = d0 + r.random() * gap
                while t < d1:
                    s = active[self.rr % len(active)]
                    self.rr += 1
                    if s.start <= t < s.end:
                        self.unit(s, int(t), out)
                    t += gap * r.uniform(.8, 1.2)
            else:
                for s in active:
                    lo, hi = max(d0, s.start), min(d1, s.end)
                    if tm == 'ratelimit':
                        bl = r.randint(6, 30)
                        spacing = 60000.0 / max(1, s.a.rpm)
                        for _ in range(poisson(r, units * (hi - lo) / HOUR / bl)):
                            t = lo + r.random() * (hi - lo)
                            for j in range(bl):
                                if t < hi:
                                    self.unit(s, int(t), out)
                                t += spacing * r.uniform(.8, 1.08) + 300
                        continue
                    if tm == 'diurnal':
                        for _ in range(poisson(r, units * 24)):
                            t = self.clock.t(r, d0)
                            if lo <= t < hi:
                                self.unit(s, t, out)
                        continue
                    k = poisson(r, units * (hi - lo) / HOUR)
                    for _ in range(k):
                        self.unit(s, lo + int(r.random() * (hi - lo)), out)
        for s in self.probes:
            if s.start < d1 and s.end > d0:
                for _ in range(poisson(r, r.uniform(.5, 3))):
                    t = max(s.start, d0) + int(r.random() * (min(d1, s.end) - max(s.start, d0)))
                    net = self.net.get(r, s.st, t, True)
                    ep = 'completions' if r.random() < .5 else 'chat.completions'
                    tlp = r.choice([5, 10, 20])
                    pace = 60000.0 / max(1, s.a.rpm)
                    for j in range(r.randint(10, 120)):
                        q = self.probe_prompts[j % len(self.probe_prompts)]
                        mt = r.choice([1, 1, 2])
                        lb = self.lb_seq[(j // len(self.probe_prompts)) % len(self.lb_seq)]
                        e, _ = W.req(s.a, t, net, s.cli, q, self.params['model'], r, task='probe', mt=mt, temp=0.0,
                                     lp=True, tlp=tlp, lb=lb or None, stream=False, ep=ep, out=mt, harvest=True)
                        out.append(e)
                        t += max(e['latency_ms'] + r.randint(200, 4000), pace * r.uniform(.95, 1.3))
        return out

    def describe(self):
        d = {'id': self.cid, 'kind': self.kind, 'accounts': len(self.accts), 'probe_accounts': len(self.probes)}
        d['tactics'] = {k: v for k, v in self.params.items() if k != 'accounts_total'}
        return d


P_ = P


class Reseller(Wrapper, CampaignBase):
    """a legitimate-looking chat wrapper whose accounts also carry the operator's harvesting traffic"""
    kind = 'campaign-reseller'

    def __init__(self, W, r, cid, P):
        Wrapper.__init__(self, W, r, kind='campaign-reseller', campaign=cid)
        self.cid = cid
        self.hp = P
        self.content = Harvest(W, r, P)
        self.share = P['share']
        self.hrate = self.rate * 1.1 * self.share / (1 - self.share)
        self.hcli = self.cli if r.random() < .6 else mk_client(r, DEV_FAM.pick(r))
        self.hnet = self.net if r.random() < .6 else PoolNet(cloud_pool(r, r.randint(1, 3))[0])
        self.fake = eu_maker(r) if P['eu_mode'] == 'fake' else None
        self.params.update({'harvest': P})

    def day(self, d):
        W, r, P = self.W, self.r, self.hp
        out = []
        self.genuine(d, out)
        d0 = W.start + d * DAY
        for _ in range(poisson(r, self.hrate * 24 / self.content.mean_turns)):
            if P['timing'] == 'diurnal':
                i = self.eu_c.pick(r)
                t = self.clocks[self.eu_cc[i]].t(r, d0)
            else:
                t = d0 + int(r.random() * DAY)
            m = P['eu_mode']
            eu = None
            if m == 'fake':
                eu = self.fake(r.randrange(10 ** 6))
            elif m == 'reuse' and self.pass_eu:
                eu = self.eu(self.eu_c.pick(r))
            elif m == 'fixed':
                eu = 'internal'
            turns, sysp, task, tools, cot = self.content.next(r)
            a = r.choice(self.accts)
            mt = MODELS[MODEL_BASE.get(P['model'], 'lyra-3')]['ceil'] if P['max_tokens'] == 'ceiling' else P['mt_fixed']
            model = P['model'] if not (P['switch_new'] and t > W.release + 3 * HOUR) else W.newm[0]
            evs, _ = run_conv(W, r, a, t, turns, self.hnet.get(r, t), self.hcli, model, system=sysp, task=task, mt=mt,
                              temp=P['temp_fixed'], stream=True, eu=eu, tools=tools or None, gap=(3, .6), harvest=True,
                              cot=cot, typing=False, think=True if r.random() < P['thinking_p'] else None)
            out.extend(evs)
        return out

    def describe(self):
        return {'id': self.cid, 'kind': self.kind, 'accounts': len(self.accts), 'tactics': self.params}


ALL_CAPS = ['coding', 'math', 'reasoning', 'agentic', 'writing', 'multilingual', 'selfinstruct']


def label_of(P):
    if P['role'] == 'hard':
        return 'lowslow'
    if P['signup'] == 'sleeper':
        return 'sleeper'
    if P['lifetime_days'] and P['lifetime_days'] < 4:
        return 'rotator'
    if P['replay_share'] >= .5:
        return 'replay'
    if P['stealth']:
        return 'stealth'
    if P['network'] == 'dc' and P['clients'] == 'single':
        return 'bulk'
    if P['probe_accounts'] and P['n'] > 1:
        return 'extract'
    if P['cot_p'] >= .5 or P['thinking_p'] >= .5:
        return 'cot'
    if max(P['caps'], key=P['caps'].get) == 'agentic':
        return 'agentic'
    return 'mixed'


def draw_caps(r, hard=False):
    k = r.randint(1, 3 if hard else 4)
    ch = r.sample(ALL_CAPS if not hard else ALL_CAPS[:5] + ['writing'], k)
    return {c: round(r.uniform(.2, 1), 2) for c in ch}


def draw_campaign(W, r, role):
    hard = role == 'hard'
    stealth = 'stealth' in role
    replay = 'replay' in role
    D = W.days
    if hard or r.random() < .6:
        sd = r.uniform(-10, D * .2)
    else:
        sd = r.uniform(D * .15, D * .55)
    ed = D if r.random() < .7 else r.uniform(max(sd, 0) + 14, D)
    ed = min(D, max(ed, max(sd, 0) + 10))
    P = {'role': role, 'stealth': stealth, 'start_day': round(sd, 2), 'end_day': round(ed, 2)}
    P['rate'] = round(logu(r, .1, .4) if hard else logu(r, .15, 5), 3)
    P['timing'] = 'diurnal' if hard else r.choice(['flat', 'flat', 'diurnal', 'roundrobin', 'poisson', 'ratelimit'])
    P['tz'] = r.choice([-8, -5, 0, 1, 3, 5.5, 7, 8, 9])
    P['prof'] = r.choice(['evening', 'office', 'dev'])
    active = ed - max(sd, 0)
    T = (logu(r, 1500, 5000) if hard else logu(r, 6000, 55000)) * W.scale
    P['target_events'] = int(T)
    P['lifetime_days'] = ((None if r.random() < .6 else round(logu(r, 20, 90), 1)) if hard else
                          (None if r.random() < .25 else round(logu(r, 1, 60), 2)))
    K = T / (P['rate'] * 24 * active)
    if P['lifetime_days']:
        K *= 1 + .5 / P['lifetime_days']
    P['concurrent'] = int(round(clamp(K, 5 if hard else 3, 40 if hard else max(10, 2500 * W.scale))))
    if hard:
        P['concurrent'] = max(3, int(P['concurrent'] * min(1.0, W.scale * 4)))
    P['replace_delay_h'] = round(logu(r, .5, 48), 2)
    P['signup'] = r.choice(['trickle', 'sleeper']) if hard else r.choice(['burst', 'burst', 'trickle', 'trickle', 'sleeper', 'mixed'])
    P['ramp_days'] = round(logu(r, .2, 20), 2)
    P['payment'] = ('unique' if r.random() < .6 else 'mix') if (stealth or hard) else \
        r.choice(['prepaid_batch', 'prepaid_batch', 'unique', 'none', 'mix'])
    P['card_reuse'] = r.randint(2, 10)
    P['email_local'] = 'realistic' if (stealth or hard) else r.choice(['namedigits', 'random', 'realistic', 'mixed'])
    P['email_domain'] = 'freemail' if (stealth or hard) else r.choice(['freemail', 'freemail', 'custom', 'mixed'])
    P['network'] = r.choice(['resi', 'resi', 'mobile']) if (stealth or hard) else \
        r.choice(['dc', 'dc', 'resi', 'mobile', 'ipv6', 'vpn', 'mixed'])
    P['rotation'] = 'sticky' if hard else r.choice(['request', 'session', 'sticky'])
    P['resi_countries'] = r.randint(3, 20)
    P['clients'] = (('browser' if r.random() < .5 else 'many') if hard else 'many') if (stealth or hard) else \
        r.choice(['single', 'single', 'pool', 'many', 'spoof'])
    P['ua_rotate'] = P['clients'] == 'spoof' and r.random() < .5
    P['caps'] = draw_caps(r, hard)
    P['replay_share'] = round(r.uniform(.6, 1), 2) if replay else (0.0 if r.random() < .6 else round(r.uniform(.05, .4), 2))
    P['order'] = r.choice(['ordered', 'shuffled'])
    P['cot_p'] = round(r.choice([0, r.uniform(.1, .4)]), 2) if hard else (0.0 if r.random() < .3 else round(r.uniform(.3, 1), 2))
    P['cot_style'] = 'paraphrased' if hard else r.choice(['fixed', 'varied', 'paraphrased'])
    P['cot_pos'] = r.choice(['suffix', 'prefix', 'mixed'])
    P['sys_style'] = None if hard else r.choice([None, None, 'fixed', 'rotating', 'generic'])
    P['template'] = (not hard) and r.random() < .35
    P['perturb_p'] = 0.0 if r.random() < .4 else round(r.uniform(.2, 1), 2)
    P['perturb_strength'] = round(r.uniform(.2, .7), 2)
    P['followup_p'] = round(r.uniform(.4, .8), 2) if hard else (0.0 if r.random() < .5 else round(r.uniform(.1, .6), 2))
    P['gap'] = 'human' if hard else r.choice(['scripted', 'scripted', 'human'])
    P['max_tokens'] = 'random' if hard else r.choice(['ceiling', 'ceiling', 'fixed', 'random', 'none'])
    P['mt_fixed'] = r.choice([2048, 4096, 4096, 8192])
    P['temperature'] = 'random' if hard else r.choice(['fixed', 'fixed', 'random', 'none'])
    P['temp_fixed'] = r.choice([0.0, 0.0, 0.7, 1.0, 0.5])
    P['top_p'] = None if hard else r.choice([None, None, None, 0.95, 1.0])
    P['n'] = r.randint(2, 8) if (not hard and r.random() < .15) else 1
    P['thinking_p'] = 0.0 if (hard or r.random() < .6) else round(r.uniform(.5, 1), 2)
    P['model'] = r.choice(['lyra-3-large', 'lyra-3-large', 'lyra-3', 'lyra-3-20250612'])
    P['switch_new'] = r.random() < (.15 if hard else .55)
    P['probe_accounts'] = 0 if (hard or r.random() < .6) else r.randint(1, 4)
    P['key_rotation_days'] = None if r.random() < .7 else r.randint(1, 7)
    P['declared_org'] = (not hard) and r.random() < .12
    P['stream'] = None if hard else r.choice([True, False, None])
    P['label'] = label_of(P)
    return P


def draw_reseller(W, r):
    P = {'role': 'reseller', 'share': round(r.uniform(.08, .6), 3), 'caps': draw_caps(r),
         'replay_share': 0.0 if r.random() < .7 else round(r.uniform(.1, .5), 2), 'order': r.choice(['ordered', 'shuffled']),
         'cot_p': round(r.uniform(0, 1), 2), 'cot_style': r.choice(['fixed', 'varied', 'paraphrased']),
         'cot_pos': r.choice(['suffix', 'prefix', 'mixed']), 'sys_style': r.choice([None, 'fixed', 'rotating']),
         'template': r.random() < .3, 'perturb_p': round(r.uniform(0, .6), 2), 'perturb_strength': .4,
         'followup_p': round(r.choice([0, r.uniform(.1, .5)]), 2), 'max_tokens': r.choice(['ceiling', 'fixed']),
         'mt_fixed': r.choice([4096, 8192]), 'temp_fixed': r.choice([0.0, 0.7, 1.0, None]),
         'thinking_p': r.choice([0.0, 0.0, round(r.uniform(.5, 1), 2)]),
         'model': r.choice(['lyra-3-large', 'lyra-3']), 'switch_new': r.random() < .5,
         'eu_mode': r.choice(['none', 'fake', 'reuse', 'fixed']), 'timing': r.choice(['flat', 'diurnal'])}
    return P


def build_campaigns(W, r):
    n = r.randint(2, 6)
    has_hard = (W.seed % 3 == 1) or r.random() < .3
    has_res = r.random() < .5
    roles = ['stealth', 'replay'] + (['hard'] if has_hard else []) + (['reseller'] if has_res else [])
    if len(roles) > n:
        roles.remove('stealth')
        roles.remove('replay')
        roles.insert(0, 'stealth+replay')
    while len(roles) > n:
        roles.remove('reseller')
    while len(roles) < n:
        roles.append('random')
    r.shuffle(roles)
    W.info['campaign_roles'] = roles
    for i, role in enumerate(roles):
        cid = 'X-%d' % (i + 1)
        cr = W.sub()
        if role == 'reseller':
            W.pops.append(Reseller(W, cr, cid, draw_reseller(W, cr)))
        else:
            W.pops.append(Campaign(W, cr, cid, draw_campaign(W, cr, role)))


# ============================================================================= command line and self-check
def find_prompts(arg):
    for d in ([arg] if arg else DEFAULT_PROMPTS):
        if d and os.path.exists(os.path.join(d, 'benign-sharegpt.jsonl.gz')):
            return d
    return None


def generate(seed, out, scale=1.0, days=None, prompts=None, quiet=False):
    d = find_prompts(prompts)
    if not d:
        print('othersim: prompt corpora not found (looked in %s); pass --prompts DIR' % (prompts or DEFAULT_PROMPTS),
              file=sys.stderr)
        sys.exit(2)
    t0 = time.time()
    W = World(seed, scale, days, d)
    W.build()
    if not quiet:
        print('othersim: seed %d scale %g, %d days from %s, %d accounts, %d populations+campaigns (%.1fs)' % (
            seed, scale, W.days, fmt_ts(W.start)[:10], len(W.accounts), len(W.pops), time.time() - t0), file=sys.stderr)
    n, dt = W.run(out, quiet)
    if not quiet:
        print('othersim: wrote %d events, %d accounts to %s in %.1fs' % (n, len(W.accounts), out, time.time() - t0),
              file=sys.stderr)
    return W


TS_RE = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$')
STR_F = ['request_id', 'account_id', 'api_key_id', 'org_id', 'end_user_id', 'ip', 'user_agent', 'tls_fingerprint',
         'endpoint', 'model', 'conversation_id', 'system', 'prompt', 'country', 'prompt_sha256']
INT_F = ['asn', 'input_tokens', 'output_tokens', 'reasoning_tokens', 'max_tokens', 'n', 'top_logprobs', 'logit_bias_size',
         'tools', 'status', 'latency_ms', 'turn']
NUM_F = ['temperature', 'top_p']
BOOL_F = ['logprobs', 'thinking', 'stream']
ENDPOINTS = {'messages', 'chat.completions', 'completions', 'responses', 'embeddings', 'batch'}


def check_dir(out):
    errs = []

    def err(m):
        if len(errs) < 30:
            errs.append(m)
    accts = {}
    with open(os.path.join(out, 'accounts.jsonl'), encoding='utf-8') as f:
        for ln, line in enumerate(f, 1):
            a = json.loads(line)
            for k in ('account_id', 'created_at', 'tier'):
                if not isinstance(a.get(k), str):
                    err('accounts:%d missing/bad %s' % (ln, k))
            if not isinstance(a.get('verified'), bool):
                err('accounts:%d verified not bool' % ln)
            if not TS_RE.match(a.get('created_at', '')):
                err('accounts:%d bad created_at' % ln)
            if any(v is None for v in a.values()):
                err('accounts:%d null field' % ln)
            if a['account_id'] in accts:
                err('accounts:%d duplicate account' % ln)
            accts[a['account_id']] = a
    truth = {}
    with open(os.path.join(out, 'truth.jsonl'), encoding='utf-8') as f:
        for ln, line in enumerate(f, 1):
            t = json.loads(line)
            k = t.get('kind', '')
            if k.startswith('benign-'):
                if t.get('campaign') is not None:
                    err('truth:%d benign with campaign' % ln)
            elif k.startswith('campaign-'):
                if not isinstance(t.get('campaign'), str):
                    err('truth:%d campaign kind without id' % ln)
                if k == 'campaign-reseller' and not isinstance(t.get('harvest_exchanges'), int):
                    err('truth:%d reseller without harvest_exchanges' % ln)
            else:
                err('truth:%d bad kind %r' % (ln, k))
            truth[t['account_id']] = t
    if set(truth) != set(accts):
        err('truth and accounts list different accounts')
    ids = set()
    last = ''
    n = 0
    first_seen = {}
    counts = {}
    with gzip.open(os.path.join(out, 'events.jsonl.gz'), 'rt', encoding='utf-8') as f:
        for ln, line in enumerate(f, 1):
            n += 1
            try:
                e = json.loads(line)
            except ValueError:
                err('events:%d not JSON' % ln)
                continue
            for k in ('ts', 'account_id', 'request_id'):
                if k not in e:
                    err('events:%d missing %s' % (ln, k))
            ts = e.get('ts')
            if not isinstance(ts, str) or not TS_RE.match(ts):
                err('events:%d bad ts %r' % (ln, ts))
            elif ts < last:
                err('events:%d ts not sorted' % ln)
            else:
                last = ts
            for k, v in e.items():
                if v is None:
                    err('events:%d null %s' % (ln, k))
                elif k in STR_F and not isinstance(v, str):
                    err('events:%d %s not string' % (ln, k))
                elif k in INT_F and (not isinstance(v, int) or isinstance(v, bool)):
                    err('events:%d %s not integer' % (ln, k))
                elif k in NUM_F and (not isinstance(v, (int, float)) or isinstance(v, bool)):
                    err('events:%d %s not number' % (ln, k))
                elif k in BOOL_F and not isinstance(v, bool):
                    err('events:%d %s not bool' % (ln, k))
                elif k not in STR_F + INT_F + NUM_F + BOOL_F + ['ts']:
                    err('events:%d unknown field %s' % (ln, k))
            if 'ip' in e:
                try:
                    ipaddress.ip_address(e['ip'])
                except ValueError:
                    err('events:%d bad ip %r' % (ln, e['ip']))
            if e.get('endpoint') not in ENDPOINTS:
                err('events:%d bad endpoint' % ln)
            if 'reasoning_tokens' in e and not e.get('thinking'):
                err('events:%d reasoning_tokens without thinking' % ln)
            rid = e.get('request_id')
            if rid in ids:
                err('events:%d duplicate request_id' % ln)
            ids.add(rid)
            aid = e.get('account_id')
            if aid not in accts or aid not in truth:
                err('events:%d account %s not in accounts/truth' % (ln, aid))
            elif aid not in first_seen:
                first_seen[aid] = ts
                if ts < accts[aid]['created_at']:
                    err('events:%d account used before created_at' % ln)
            if aid in truth:
                counts[truth[aid]['kind']] = counts.get(truth[aid]['kind'], 0) + 1
    if n == 0:
        err('no events')
    return errs, n, counts


def selfcheck(prompts=None):
    tmp = tempfile.mkdtemp(prefix='othersim-check-')
    try:
        a, b = os.path.join(tmp, 'a'), os.path.join(tmp, 'b')
        t0 = time.time()
        generate(11, a, scale=0.04, days=9, prompts=prompts, quiet=True)
        generate(11, b, scale=0.04, days=9, prompts=prompts, quiet=True)
        errs, n, counts = check_dir(a)
        for fn in ('events.jsonl.gz', 'accounts.jsonl', 'truth.jsonl', 'world.json'):
            ha = hashlib.sha256(open(os.path.join(a, fn), 'rb').read()).hexdigest()
            hb = hashlib.sha256(open(os.path.join(b, fn), 'rb').read()).hexdigest()
            if ha != hb:
                errs.append('%s differs between two runs with the same seed' % fn)
        print('selfcheck: %d events, %d kinds, %.1fs' % (n, len(counts), time.time() - t0))
        for k in sorted(counts):
            print('  %-28s %7d' % (k, counts[k]))
        if errs:
            print('selfcheck FAILED:')
            for e in errs:
                print('  ' + e)
            return 1
        print('selfcheck OK')
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', help='output directory')
    ap.add_argument('--scale', type=float, default=1.0, help='multiplies population and campaign sizes')
    ap.add_argument('--days', type=int, default=None, help='window length (default: drawn per seed in 60-90)')
    ap.add_argument('--prompts', default=None, help='folder with the prompt corpora')
    ap.add_argument('--selfcheck', action='store_true', help='generate a tiny world and validate it')
    ap.add_argument('--check', metavar='DIR', help='validate an already generated folder')
    a = ap.parse_args(argv)
    if a.selfcheck:
        return selfcheck(a.prompts)
    if a.check:
        errs, n, counts = check_dir(a.check)
        print('%d events; %s' % (n, 'OK' if not errs else 'FAILED'))
        for e in errs:
            print('  ' + e)
        return 1 if errs else 0
    if not a.out:
        ap.error('--out is required')
    generate(a.seed, a.out, a.scale, a.days, a.prompts)
    return 0


if __name__ == '__main__':
    sys.exit(main())
