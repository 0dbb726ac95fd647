//! Generated agencies: frameworks of 2 to 12 indicators under one, two or three instruments,
//! weights of every kind, criteria tables with and without part conditions, scores at the
//! edges (89.99, 90.00, 90.005, half-cents), ties at every place, instruments whose indicators
//! are all equal, EIT parts given or not, OIT items scored 0 or 100, stated figures. Values are
//! kept as typed, in thousandths, and written out as the six YAML files of a year.

use std::fmt::Write as _;
use std::path::Path;

/// A small seeded generator (splitmix64): a failing agency is rebuilt from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True with `percent` per cent.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.range(0, xs.len() as i64 - 1) as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inst {
    Iit,
    Eit,
    Oit,
}

impl Inst {
    pub const ALL: [Inst; 3] = [Inst::Iit, Inst::Eit, Inst::Oit];

    pub fn code(self) -> &'static str {
        match self {
            Inst::Iit => "IIT",
            Inst::Eit => "EIT",
            Inst::Oit => "OIT",
        }
    }
}

/// A question's scores, in thousandths: IIT and OIT one, EIT public and survey.
#[derive(Debug, Clone, Copy)]
pub enum Scores {
    One(i64),
    Two(i64, i64),
}

#[derive(Debug, Clone)]
pub struct Question {
    pub code: String,
    pub text: String,
    pub scores: Scores,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub number: u8,
    pub inst: Inst,
    pub name: String,
    pub previous: i64,
    pub current: i64,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone)]
pub struct Level {
    pub name: String,
    /// ITA range and the range every part must lie in, in thousandths.
    pub ita: (i64, i64),
    pub parts: Option<(i64, i64)>,
}

#[derive(Debug, Clone)]
pub struct Agency {
    /// Whole points.
    pub threshold: i64,
    /// IIT, EIT, OIT weights of the assessed and the compared year, in thousandths.
    pub weights_current: [i64; 3],
    pub weights_previous: Option<[i64; 3]>,
    pub levels: Vec<Level>,
    /// In the order assessment.yaml lists them.
    pub indicators: Vec<Indicator>,
    pub eit_parts: Option<(i64, i64)>,
    pub stated_previous: Option<i64>,
    pub stated_current: Option<i64>,
    pub stated_rating: Option<String>,
}

const NAMES: [&str; 12] = [
    "การปฏิบัติหน้าที่",
    "การใช้งบประมาณ",
    "การใช้อำนาจ",
    "การใช้ทรัพย์สินของราชการ",
    "การแก้ไขปัญหาการทุจริต",
    "คุณภาพการดำเนินงาน",
    "ประสิทธิภาพการสื่อสาร",
    "การปรับปรุงการทำงาน",
    "การเปิดเผยข้อมูล",
    "การป้องกันการทุจริต",
    "การบริหารงานบุคคล",
    "การจัดซื้อจัดจ้าง",
];

const TEXTS: [&str; 6] = [
    "การปฏิบัติงานของเจ้าหน้าที่เป็นไปตามขั้นตอนและระยะเวลามากน้อยเพียงใด",
    "หน่วยงานมีช่องทางการเผยแพร่ข้อมูลข่าวสารที่เข้าถึงได้ง่าย",
    "เจ้าหน้าที่ให้บริการแก่ท่านและผู้อื่นอย่างเท่าเทียมกัน",
    "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี",
    "หน่วยงานเปิดโอกาสให้บุคคลภายนอกมีส่วนร่วมในการปรับปรุงการดำเนินงาน",
    "การกำกับดูแลทรัพย์สินของหน่วยงานป้องกันการนำไปใช้เพื่อประโยชน์ส่วนตัวได้",
];

const LEVEL_NAMES: [&str; 7] = [
    "ผ่านดีเยี่ยม",
    "ผ่านดี",
    "ผ่าน",
    "ต้องปรับปรุง",
    "ต้องปรับปรุงโดยด่วน",
    "ผ่านขั้นต้น",
    "ยังไม่ผ่าน",
];

/// Scores, in thousandths, as they are drawn: at the edges, on half-cents, anywhere, or a value
/// drawn before (a tie).
struct Draw<'a> {
    rng: &'a mut Rng,
    used: Vec<i64>,
    threshold: i64,
}

impl Draw<'_> {
    fn score(&mut self) -> i64 {
        let t = self.threshold * 1000;
        let edges = [
            89_990,
            90_000,
            90_005,
            90_010,
            89_995,
            94_980,
            95_000,
            94_995,
            84_990,
            85_000,
            84_995,
            69_990,
            70_000,
            100_000,
            99_995,
            0,
            5,
            t,
            t - 10,
            t + 5,
            t - 5,
        ];
        let v = match self.rng.range(0, 9) {
            0..=2 if !self.used.is_empty() => *self.rng.pick(&self.used),
            0..=3 => *self.rng.pick(&edges),
            4 | 5 => self.rng.range(6_000, 9_999) * 10 + 5,
            _ => self.rng.range(5_000, 10_000) * 10,
        };
        self.used.push(v);
        v
    }
}

/// Weights of the instruments present, adding up to exactly 100, in thousandths.
fn weights(rng: &mut Rng, present: [bool; 3]) -> [i64; 3] {
    let n = present.iter().filter(|&&p| p).count() as i64;
    let mut w = [0; 3];
    let mut left = 100_000;
    let mut seen = 0;
    for k in 0..3 {
        if !present[k] {
            continue;
        }
        seen += 1;
        w[k] = if seen == n {
            left
        } else {
            let share = match rng.range(0, 2) {
                0 => 100_000 / n,                  // 33.333
                1 => rng.range(1, 99 / n) * 1000,  // whole points
                _ => rng.range(1, 9_999 / n) * 10, // hundredths
            };
            share.min(left)
        };
        left -= w[k];
    }
    w
}

/// A criteria table: plain levels covering 0-100 without gaps, after up to three levels with
/// part conditions, best first.
fn levels(rng: &mut Rng) -> Vec<Level> {
    let plain = rng.range(2, 4) as usize;
    // Lower bounds of the plain levels, in hundredths, highest first, the last at 0.
    let mut mins: Vec<i64> = (1..plain)
        .map(|_| {
            let anywhere = rng.range(100, 9_900);
            *rng.pick(&[9_000, 8_500, 8_000, 7_000, 9_500, anywhere])
        })
        .collect();
    mins.sort_unstable_by_key(|&m| std::cmp::Reverse(m));
    mins.dedup();
    mins.push(0);
    let top = mins[0];
    let mut parted: Vec<(i64, i64)> = (0..rng.range(0, 3))
        .map(|_| {
            let ita = rng.range(top, 10_000);
            let anywhere = rng.range(5_000, 10_000);
            let parts = *rng.pick(&[9_500, 9_000, 8_500, ita, anywhere]);
            (ita, parts)
        })
        .collect();
    parted.sort_unstable_by_key(|p| std::cmp::Reverse(p.0));
    let mut names = LEVEL_NAMES.iter();
    let mut out: Vec<Level> = parted
        .into_iter()
        .map(|(ita, parts)| Level {
            name: names.next().unwrap().to_string(),
            ita: (ita * 10, 100_000),
            parts: Some((parts * 10, 100_000)),
        })
        .collect();
    let mut max = 10_000;
    for min in mins {
        out.push(Level {
            name: names.next().unwrap().to_string(),
            ita: (min * 10, max * 10),
            parts: None,
        });
        max = min - 1;
    }
    out
}

fn instruments(rng: &mut Rng, n: usize) -> Vec<Inst> {
    let present: Vec<Inst> = if rng.chance(70) {
        Inst::ALL.to_vec()
    } else {
        let mut p: Vec<Inst> = Inst::ALL.into_iter().filter(|_| rng.chance(50)).collect();
        if p.is_empty() {
            p.push(*rng.pick(&Inst::ALL));
        }
        p
    };
    let mut insts: Vec<Inst> = present.clone();
    while insts.len() < n {
        insts.push(*rng.pick(&present));
    }
    insts.truncate(n.max(present.len()));
    if rng.chance(60) {
        insts.sort_by_key(|i| Inst::ALL.iter().position(|x| x == i));
    } else {
        // Shuffled: the framework need not list IIT first.
        for k in (1..insts.len()).rev() {
            let j = rng.range(0, k as i64) as usize;
            insts.swap(k, j);
        }
    }
    insts
}

fn questions(d: &mut Draw, inst: Inst, counters: &mut [usize; 3]) -> Vec<Question> {
    let k = Inst::ALL.iter().position(|&i| i == inst).unwrap();
    let count = match inst {
        Inst::Oit => d.rng.range(0, 6),
        _ => d.rng.range(1, 5),
    };
    let all_equal = d.rng.chance(15).then(|| d.score());
    (0..count)
        .map(|_| {
            counters[k] += 1;
            let code = format!("{}{}", inst.code()[..1].to_lowercase(), counters[k]);
            let text = d.rng.pick(&TEXTS).to_string();
            let scores = match (inst, all_equal) {
                (Inst::Oit, _) => Scores::One(*d.rng.pick(&[0, 100_000, 100_000])),
                (Inst::Eit, Some(v)) => Scores::Two(v, v),
                (Inst::Eit, None) => Scores::Two(d.score(), d.score()),
                (_, Some(v)) => Scores::One(v),
                (_, None) => Scores::One(d.score()),
            };
            Question { code, text, scores }
        })
        .collect()
}

/// One agency from the generator.
pub fn agency(rng: &mut Rng) -> Agency {
    let threshold = *rng.pick(&[90, 90, 90, 85, 80, 95]);
    let n = rng.range(2, 12) as usize;
    let insts = instruments(rng, n);
    let present = Inst::ALL.map(|i| insts.contains(&i));
    let weights_current = weights(rng, present);
    let weights_previous = rng.chance(75).then(|| weights(rng, present));
    let levels = levels(rng);
    let mut d = Draw {
        rng,
        used: Vec::new(),
        threshold,
    };
    let mut counters = [0; 3];
    let equal_current: Vec<Option<i64>> = Inst::ALL
        .iter()
        .map(|_| d.rng.chance(15).then(|| d.score()))
        .collect();
    let mut indicators: Vec<Indicator> = insts
        .iter()
        .enumerate()
        .map(|(k, &inst)| {
            let at = Inst::ALL.iter().position(|&i| i == inst).unwrap();
            let current = equal_current[at].unwrap_or_else(|| d.score());
            let previous = if d.rng.chance(20) { current } else { d.score() };
            Indicator {
                number: k as u8 + 1,
                inst,
                name: NAMES[k].to_string(),
                previous,
                current,
                questions: questions(&mut d, inst, &mut counters),
            }
        })
        .collect();
    // assessment.yaml may list the indicators in any order.
    if d.rng.chance(20) {
        indicators.reverse();
    }
    let eit_parts = (present[1] && d.rng.chance(60)).then(|| (d.score(), d.score()));
    let stated_previous = (weights_previous.is_none() || d.rng.chance(10)).then(|| d.score());
    let stated_current = d.rng.chance(10).then(|| d.score());
    let stated_rating = d.rng.chance(15).then(|| d.rng.pick(&levels).name.clone());
    Agency {
        threshold,
        weights_current,
        weights_previous,
        levels,
        indicators,
        eit_parts,
        stated_previous,
        stated_current,
        stated_rating,
    }
}

/// A value in thousandths as a person types it: `90`, `89.99`, `90.005`.
pub fn typed(m: i64) -> String {
    let s = format!("{}.{:03}", m / 1000, m % 1000);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn weights_yaml(out: &mut String, year: i32, w: [i64; 3]) {
    let _ = writeln!(
        out,
        "  - {{ year: {year}, iit: {}, eit: {}, oit: {} }}",
        typed(w[0]),
        typed(w[1]),
        typed(w[2])
    );
}

fn assessment_yaml(a: &Agency) -> String {
    let mut out = format!("threshold: {}\nweights:\n", a.threshold);
    weights_yaml(&mut out, 2568, a.weights_current);
    if let Some(w) = a.weights_previous {
        weights_yaml(&mut out, 2567, w);
    }
    out.push_str("rating_levels:\n");
    for l in &a.levels {
        let _ = writeln!(
            out,
            "  - name: {}\n    ita: {{ min: {}, max: {} }}",
            l.name,
            typed(l.ita.0),
            typed(l.ita.1)
        );
        if let Some(p) = l.parts {
            let _ = writeln!(
                out,
                "    parts: {{ min: {}, max: {} }}",
                typed(p.0),
                typed(p.1)
            );
        }
    }
    out.push_str("indicators:\n");
    for i in &a.indicators {
        let _ = writeln!(
            out,
            "  - number: {}\n    instrument: {}\n    name: {}\n    questions:{}",
            i.number,
            i.inst.code(),
            i.name,
            if i.questions.is_empty() { " []" } else { "" }
        );
        for q in &i.questions {
            let _ = writeln!(out, "      - code: {}\n        text: {}", q.code, q.text);
        }
    }
    out
}

fn scores_yaml(a: &Agency) -> String {
    let mut out = String::from(
        "assessed_year: 2568\nprevious_year: 2567\nparticipants: 8317\ngroup_participants: 120\nrank: 7\nindicators:\n",
    );
    for i in &a.indicators {
        let _ = writeln!(
            out,
            "  - {{ indicator: {}, previous: {}, current: {} }}",
            i.number,
            typed(i.previous),
            typed(i.current)
        );
    }
    if let Some((p1, p2)) = a.eit_parts {
        let _ = writeln!(
            out,
            "eit_parts: {{ part1: {}, part2: {} }}",
            typed(p1),
            typed(p2)
        );
    }
    out.push_str("stated_ita:\n");
    for (field, value) in [
        ("previous", a.stated_previous),
        ("current", a.stated_current),
    ] {
        if let Some(v) = value {
            let _ = writeln!(out, "  {field}: {}", typed(v));
        }
    }
    if let Some(r) = &a.stated_rating {
        let _ = writeln!(out, "  rating: {r}");
    }
    out.push_str("questions:\n");
    for q in a.indicators.iter().flat_map(|i| &i.questions) {
        let _ = match q.scores {
            Scores::One(s) => writeln!(out, "  - {{ code: {}, score: {} }}", q.code, typed(s)),
            Scores::Two(p, s) => writeln!(
                out,
                "  - {{ code: {}, public: {}, survey: {} }}",
                q.code,
                typed(p),
                typed(s)
            ),
        };
    }
    if !a.indicators.iter().any(|i| !i.questions.is_empty()) {
        out.push_str("  []\n");
    }
    out
}

fn analysis_yaml(a: &Agency) -> String {
    let mut out = String::from("analysis:\n");
    for i in &a.indicators {
        let _ = writeln!(
            out,
            "  - indicator: {}\n    findings:\n      - ควรรักษาระดับและทบทวนขั้นตอนการปฏิบัติงาน\n    measures: [standards]",
            i.number
        );
    }
    out
}

fn recommendations_yaml(a: &Agency) -> String {
    let mut out = String::from("recommendations:\n");
    for inst in Inst::ALL {
        let numbers: Vec<String> = (a.indicators.iter())
            .filter(|i| i.inst == inst)
            .map(|i| i.number.to_string())
            .collect();
        if !numbers.is_empty() {
            let _ = writeln!(
                out,
                "  - instrument: {}\n    indicators: [{}]\n    paragraphs:\n      - ควรรักษามาตรฐานการปฏิบัติงานไว้",
                inst.code(),
                numbers.join(", ")
            );
        }
    }
    out
}

const MEASURES: &str = "coordinator: สำนักปลัด
measures:
  - id: standards
    title: ยกระดับมาตรฐานการปฏิบัติงานและการให้บริการ
    steps:
      - ทบทวนคู่มือการปฏิบัติงานของทุกกอง
    period: ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙
    units: [สำนักปลัด]
";

/// Writes the agency as `content/2569/` under `root`; agency.yaml is the municipality's.
pub fn write(a: &Agency, root: &Path) {
    let dir = root.join("content/2569");
    std::fs::create_dir_all(&dir).unwrap();
    let agency =
        crate::common::manifest_dir().join("tests/fixtures/municipality/content/2569/agency.yaml");
    std::fs::copy(agency, dir.join("agency.yaml")).unwrap();
    for (name, text) in [
        ("assessment.yaml", assessment_yaml(a)),
        ("scores.yaml", scores_yaml(a)),
        ("analysis.yaml", analysis_yaml(a)),
        ("recommendations.yaml", recommendations_yaml(a)),
        ("measures.yaml", MEASURES.to_string()),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
}
