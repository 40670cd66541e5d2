/** Natural answers: what customers type instead of pressing a button selects the choice they mean. */
import { describe, expect, it } from 'vitest';
import { matchNaturalAnswer, matchSeveralAnswers } from '../../src/dialogue/natural-answers.js';

const choice = (id: string, label: string) => ({ id: `3.answer.${id}`, label });
const yesNo = [choice('yes', 'Yes'), choice('no', 'No')];
const resold = [choice('yes', "Yes, it's resold"), choice('no', "No, it's their own"), choice('unsure', "I don't know")];
const carriers = [choice('verizon', 'Verizon'), choice('tmobile', 'T-Mobile'), choice('att', 'AT&T'), choice('other', 'A landline, cable or VoIP provider')];
const reading = [
  { id: '4.include', label: 'Both' },
  { id: '4.confirm', label: 'Just: The carrier sees your number as inactive' },
  { id: '4.other', label: "No, it's something else" },
];
const address = [choice('billing', 'Billing or mailing address'), choice('service', 'Where the line is installed'), choice('pobox', 'A PO box'), choice('unsure', 'Not sure')];
const picked = (choices: Array<{ id: string; label: string }>, text: string, options = {}) => matchNaturalAnswer(choices, text, options)?.label;

describe('natural answers to offered choices', () => {
  it('GIVEN yes/no buttons THEN yes and no words anywhere in a short answer pick them', () => {
    expect(picked(yesNo, 'yeah')).toBe('Yes');
    expect(picked(yesNo, 'yep, done that')).toBe('Yes');
    expect(picked(yesNo, 'nope')).toBe('No');
    expect(picked(yesNo, "it's AT&T, so no?")).toBe('No');
  });

  it('GIVEN a negated answer THEN it never picks the label it negates ("I don\'t want to pay the fee" is not "Pay the fee")', () => {
    const contract = [choice('pay', 'Pay the fee and port now'), choice('release', 'Ask them to release it now'), choice('wait', 'Wait for the contract to end')];
    expect(picked(contract, 'i dont want to pay the fee')).toBeUndefined();
    expect(picked(contract, 'pay the fee')).toBe('Pay the fee and port now');
    expect(picked(contract, 'we will wait')).toBe('Wait for the contract to end');
  });

  it('GIVEN a not-sure choice THEN "idk", "no idea" and "not sure" pick it, and without one they pick nothing', () => {
    expect(picked(resold, 'idk')).toBe("I don't know");
    expect(picked(resold, 'no idea honestly')).toBe("I don't know");
    expect(picked(address, 'not sure')).toBe('Not sure');
    expect(picked(yesNo, 'idk')).toBeUndefined();
  });

  it('GIVEN several options THEN ordinals pick by position', () => {
    expect(picked(address, 'the second one')).toBe('Where the line is installed');
    expect(picked(address, 'first')).toBe('Billing or mailing address');
    expect(picked(address, 'the last one')).toBe('Not sure');
  });

  it('GIVEN a reading with a "Both" choice THEN "both" and "all of them" pick it, "no" picks "something else"', () => {
    expect(picked(reading, 'both')).toBe('Both');
    expect(picked(reading, 'all of them please')).toBe('Both');
    expect(picked(reading, 'no')).toBe("No, it's something else");
    expect(
      picked(
        [
          { id: '4.confirm', label: "Yes, that's right" },
          { id: '4.other', label: "No, something's not right" },
        ],
        'both',
      ),
    ).toBe("Yes, that's right");
  });

  it('GIVEN carrier choices THEN a carrier named in the answer picks it', () => {
    expect(picked(carriers, "it's with tmobile", { carriers: ['tmobile'] })).toBe('T-Mobile');
  });

  it("GIVEN labels THEN a short answer with a label's key words picks it, but a question or a long sentence does not", () => {
    expect(picked(address, 'where its installed')).toBe('Where the line is installed');
    expect(picked(address, 'a po box')).toBe('A PO box');
    expect(picked(address, "what's a po box?")).toBeUndefined();
    expect(picked(address, 'rejected, something about the billing address and the service address being different')).toBeUndefined();
  });

  it('never takes a pasted notice for a press', () => {
    expect(picked(yesNo, 'Yes we got your notice: REJECT ACCOUNT NUMBER INVALID and LSP FREEZE ON ACCOUNT for all three numbers on the order')).toBeUndefined();
  });

  it('GIVEN a question that takes one or more details THEN an answer naming several picks each, a not-sure answer stands alone, and an unknown part picks nothing', () => {
    const details = [
      choice('address', 'Service address'),
      choice('account', 'Account number'),
      choice('name', 'Name on the account'),
      choice('btn', 'Billing telephone number (BTN)'),
      choice('unsure', "Not sure, it didn't say"),
    ];
    const several = (text: string) => matchSeveralAnswers(details, text)?.map((c) => c.label);
    expect(several('the address and the account number')).toEqual(['Service address', 'Account number']);
    expect(several('BTN, name')).toEqual(['Name on the account', 'Billing telephone number (BTN)']);
    expect(several('1 and 4')).toEqual(['Service address', 'Billing telephone number (BTN)']);
    expect(several('account number')).toEqual(['Account number']);
    expect(several("Not sure, it didn't say")).toEqual(["Not sure, it didn't say"]);
    expect(several('idk')).toEqual(["Not sure, it didn't say"]);
    expect(several('the address and the weather')).toBeUndefined();
  });
});
