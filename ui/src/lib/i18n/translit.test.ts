import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import latin from './uz-Latn.json';
import { cyrillicCatalogueText, doubtfulWords, exceptions, latinToCyrillic } from './translit';

const here = dirname(fileURLToPath(import.meta.url));

/** `latin` gives `cyrillic`. */
function check(text: string, cyrillic: string) {
  it(`${text} → ${cyrillic}`, () => expect(latinToCyrillic(text)).toBe(cyrillic));
}

describe('Uzbek Latin to Cyrillic: letters', () => {
  check('Qaror xabar hujjat jinoyat', 'Қарор хабар ҳужжат жиноят');
  check('Shaxs choy tinglang', 'Шахс чой тингланг');
  check('oʻzbek Oʻzbekiston gʻalaba Gʻarb', 'ўзбек Ўзбекистон ғалаба Ғарб');
  check('yangi yuz yoki Yetarli yer', 'янги юз ёки Етарли ер');
  check('yoʻl yoʻq', 'йўл йўқ'); // y + oʻ, not yo + ʻ
  check('qayerda poyezd', 'қаерда поезд'); // ye after a vowel
  check('tayyor ayting', 'тайёр айтинг');
  check('kelyapti qilyapman', 'келяпти қиляпман');
  check('ekran Eslatma telefon', 'экран Эслатма телефон'); // э at the start of a word, е elsewhere
  check('aeroport poema', 'аэропорт поэма'); // э after a vowel
  check('sud-ekspert', 'суд-эксперт'); // each part of a hyphenated word starts a word
  check('maʼlumot sanʼat eʼlon', 'маълумот санъат эълон'); // tutuq belgisi
  check('Isʼhoq', 'Исҳоқ'); // ʼ only separates s from h
});

describe('Uzbek Latin to Cyrillic: apostrophes and case', () => {
  check("o'zbek o‘zbek o’zbek g'alaba", 'ўзбек ўзбек ўзбек ғалаба');
  check("ma'lumot ma’lumot", 'маълумот маълумот');
  check("'Saqlash' tugmasi", "'Сақлаш' тугмаси"); // quotation marks, not letters
  check('Sh Shu QOʻSHILISH', 'Ш Шу ҚЎШИЛИШ'); // Sh and SH → Ш
  check('OʻZBEKISTON Gʻ', 'ЎЗБЕКИСТОН Ғ');
  check('F.I.Sh. va h.k.', 'Ф.И.Ш. ва ҳ.к.');
});

describe('Uzbek Latin to Cyrillic: ц and тс', () => {
  check('federatsiya aktsiya konstitutsiya', 'федерация акция конституция'); // ts before i + vowel
  check('aksiya yurisdiksiya funksional', 'акция юрисдикция функционал'); // ks before iya, ion
  check('ketsa ketsin hujjatsiz internetsiz', 'кетса кетсин ҳужжатсиз интернетсиз'); // a suffix after t
  check('protsessual protsent ofitser', 'процессуал процент офицер'); // reviewed stems
  check('sirk stansiya konvensiya korrupsiya', 'цирк станция конвенция коррупция');
  check('genotsid litsenziya', 'геноцид лицензия');
});

describe('Uzbek Latin to Cyrillic: reviewed exceptions', () => {
  check('yanvar fevral aprel iyun iyul', 'январь февраль апрель июнь июль');
  check('sentabr oktabr noyabr dekabr', 'сентябрь октябрь ноябрь декабрь');
  check('1-sentabrdan 7-fevraldagi', '1-сентябрдан 7-февралдаги'); // ь dropped before a suffix
  check('Sentabr', 'Сентябрь');
  check('parol Parolni rol Rolingiz', 'пароль Паролни роль Ролингиз');
  check('kompyuter kompyuterda intervyu', 'компьютер компьютерда интервью');
  check('obyekt subyektiv', 'объект субъектив');
  check('filtr film', 'фильтр фильм');
  check('mayor rayon', 'майор район');
  check('moʻjiza', 'мўъжиза');
  check('sertifikat prokuratura internet fotosurat', 'сертификат прокуратура интернет фотосурат'); // the rules alone
  // Headings of the criminal code read in Cyrillic and written in Latin in crates/model/data/articles.toml
  check('135-modda. Odam savdosi', '135-модда. Одам савдоси');
  check('148²-modda. Mehnatga maʼmuriy tarzda majburlash', '148²-модда. Меҳнатга маъмурий тарзда мажбурлаш');
  check('valyuta kriptovalyuta versiya izolyatsiya', 'валюта криптовалюта версия изоляция');
  check('sudya kuryer rubl modullar', 'судья курьер рубль модуллар');
});

describe('Uzbek Latin to Cyrillic: what is copied', () => {
  check('{name}ni {article}-modda', '{name}ни {article}-модда');
  check('{n} ta ish, {done}/{total}', '{n} та иш, {done}/{total}');
  check('HTCDS toifalari, ICAO, ID raqami', 'HTCDS тоифалари, ICAO, ID рақами');
  check('USB fleshka, PDFga, USB’ga', 'USB флешка, PDFга, USB’га'); // suffix after an acronym
  check('II bob', 'II боб'); // roman numeral
  check('XMT, JKning, AQSh, AQSHda', 'ХМТ, ЖКнинг, АҚШ, АҚШда'); // Uzbek abbreviations
  check('KK.OO.YYYY, Vaqti (SS:DD)', 'КК.ОО.ЙЙЙЙ, Вақти (СС:ДД)');
  check('masalan, ERDR', 'масалан, ЕРДР'); // an abbreviation whose own spelling is Cyrillic
  check('C: ishlab chiqarish, Q: sogʻliqni saqlash', 'C: ишлаб чиқариш, Q: соғлиқни сақлаш'); // section codes
  check('--passphrase-file ni bering', '--passphrase-file ни беринг');
  check('wss:// bilan (ws://)', 'wss:// билан (ws://)');
  check('wss://relay.example.org manzili', 'wss://relay.example.org манзили');
  check('relay.example.org:443 yoki yordam@example.org', 'relay.example.org:443 ёки yordam@example.org');
  check('.caravan fayli', '.caravan файли');
  check('~/.local/share/Caravan/vault papkasi', '~/.local/share/Caravan/vault папкаси');
  check('CARAVAN_VAULT va error.vault.locked', 'CARAVAN_VAULT ва error.vault.locked');
  check('masalan 192.168.1.20:49152, 15.03.2009', 'масалан 192.168.1.20:49152, 15.03.2009');
  check('Caravan’ni Wi-Fi tarmogʻi Caps Lock', 'Caravan’ни Wi-Fi тармоғи Caps Lock');
  check('UZ, KZ yoki stateless', 'UZ, KZ ёки stateless'); // a value typed as written
  check('«Yopish» tugmasi', '«Ёпиш» тугмаси'); // «…» quotes labels of the UI: transliterated
  check('iPhone, Wordpad va Excel', 'iPhone, Wordpad ва Excel'); // foreign letters or a capital inside: a name
  check('', '');
});

describe('doubtful words', () => {
  const words = (text: string) => doubtfulWords(text).map((d) => d.word);

  it('finds spellings the rules cannot decide', () => {
    expect(words('tsex pensioner bilyet Wordpad iPhone NATO oʼzbek')).toEqual([
      'tsex',
      'pensioner',
      'bilyet',
      'wordpad',
      'iPhone',
      'NATO',
      'oʼzbek',
    ]);
  });

  it('passes what the rules or a reviewed exception decide', () => {
    expect(words('federatsiya ketsa kelyapti kompyuter versiyasi USB Caravan {placeholder}')).toEqual([]);
    expect(words('izolyatsiya dunyoviy yurisdiksiya hujjatsiz')).toEqual([]); // rules, and a reviewed stem inside a word
  });
});

describe('uz-Cyrl catalogue', () => {
  const committed = readFileSync(join(here, 'uz-Cyrl.json'), 'utf8');
  const cyrillic: Record<string, string> = JSON.parse(committed);

  it('is the transliteration of uz-Latn.json', () => {
    expect(committed, 'uz-Cyrl.json is not up to date with uz-Latn.json: run scripts/i18n-uz-cyrl').toBe(
      cyrillicCatalogueText(latin),
    );
    expect(Object.keys(cyrillic)).toEqual(Object.keys(latin));
  });

  it('has every doubtful word of uz-Latn.json reviewed', () => {
    const unreviewed = Object.values(latin).flatMap((v) => doubtfulWords(v).map((d) => `${d.word}: ${d.reason}`));
    expect(
      [...new Set(unreviewed)],
      'words of uz-Latn.json the rules may spell wrong: see scripts/i18n-uz-cyrl --review',
    ).toEqual([]);
  });

  it('keeps Latin letters only in placeholders, kept names and acronyms', () => {
    const allowed = new Set([
      ...(exceptions.latin ?? []).flatMap((n) => n.match(/[A-Za-z]+/g) ?? []),
      ...(exceptions.acronyms?.keep ?? []),
    ]);
    const left = Object.values(cyrillic).flatMap((v) =>
      v
        .replace(/\{\w+\}/g, '')
        .replace(/[A-Za-z][\w+.-]*:\/\/\S*|\S+@\S+|[\w.-]*[/\\][\w./\\-]+|\w+_\w+|[a-z]+(?:\.[a-z0-9-]+)+|--[\w-]+/g, '')
        .replace(/(?<![\p{L}.])[A-Z](?=:)/gu, '') // section codes (C: …)
        .match(/[A-Za-z]+/g) ?? [],
    );
    expect([...new Set(left)].filter((w) => !allowed.has(w))).toEqual([]);
  });
});
