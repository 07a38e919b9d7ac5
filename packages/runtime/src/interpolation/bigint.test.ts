/**
 * Ints beyond 2^53 (BigInt in the value model: an API's 64-bit ids) behave as Python ints: exact
 * text, exact arithmetic and comparisons, `| int`, formatting, and exact results from eval.
 */
import { describe, expect, it } from 'vitest';
import { evalTemplate, renderString, type Context } from './index.js';

const ctx = (): Context => ({ config: {}, record: { id: 12345678901234567890n, neg: -9007199254740993n, small: 5, text: '18446744073709551615' } });

describe('ints beyond 2^53', () => {
  it.each([
    ['{{ record.id }}', '12345678901234567890'],
    ['{{ record.id | string }}', '"""12345678901234567890"""'],
    ['{{ record.id + 1 }}', '12345678901234567891'],
    ['{{ record.id - record.id }}', '0'],
    ['{{ record.id * 2 }}', '24691357802469135780'],
    ['{{ record.id // 7 }}', '1763668414462081127'],
    ['{{ record.neg // 10 }}', '-900719925474100'],
    ['{{ record.neg % 10 }}', '7'],
    ['{{ record.id / 2 }}', '6.172839450617284e+18'],
    ['{{ -record.neg }}', '9007199254740993'],
    ['{{ 9007199254740991 + 2 }}', '9007199254740993'],
    ['{{ 2 ** 64 }}', '18446744073709551616'],
    ['{{ record.text | int }}', '18446744073709551615'],
    ['{{ record.text | int + 1 }}', '18446744073709551616'],
    ['{{ record.id | int }}', '12345678901234567890'],
    ['{{ "%d|%x" % (record.id, record.id) }}', '12345678901234567890|ab54a98ceb1f0ad2'],
    ['{{ "{:d}".format(record.neg) }}', '-9007199254740993'],
    ['{{ record.id | tojson }}', '12345678901234567890'],
    ['{{ [record.id] }}', '[12345678901234567890]'],
    ['{{ record.id == 12345678901234567890 }}', 'True'],
    ['{{ record.id == 12345678901234567891 }}', 'False'],
    ['{{ 9007199254740993 == 9007199254740992.0 }}', 'False'],
    ['{{ 9007199254740992 * 2 == 18014398509481984.0 }}', 'True'],
    ['{{ record.id > 12345678901234567889 }}', 'True'],
    ['{{ record.id > record.small }}', 'True'],
    ['{{ record.neg < -9007199254740992 }}', 'True'],
    ['{{ [record.small, record.id, 3] | max }}', '12345678901234567890'],
    ['{{ record.id is integer }}', 'True'],
    ['{{ record.neg | abs }}', '9007199254740993'],
    ['{{ [record.id, 10] | sum }}', '12345678901234567900'],
    ['{{ "yes" if record.id else "no" }}', 'yes'],
    ['{{ record.id in [1, 12345678901234567890] }}', 'True'],
  ])('%s renders %s', (template, text) => {
    expect(renderString(template, ctx())).toBe(text);
  });

  it('eval gives an exact BigInt for an int result beyond 2^53, a number within', () => {
    expect(evalTemplate('{{ record.id }}', ctx())).toBe(12345678901234567890n);
    expect(evalTemplate('{{ record.id + 1 }}', ctx())).toBe(12345678901234567891n);
    expect(evalTemplate('{{ record.id - 12345678901234567880 }}', ctx())).toBe(10);
    expect(evalTemplate('{{ record.text }}', ctx())).toBe(18446744073709551615n);
    expect(evalTemplate('{{ record.id | string }}', ctx())).toBe('12345678901234567890');
  });
});
