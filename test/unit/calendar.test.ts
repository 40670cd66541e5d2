/** Porting days: weekends and US federal holidays (observed) are not porting days; dates read as people write them. */
import { describe, expect, it } from 'vitest';
import { addBusinessDays, businessDaysUntil, federalHoliday, formatDay, isPortingDay } from '../../src/dialogue/calendar.js';

describe('porting calendar', () => {
  it('knows observed federal holidays', () => {
    expect(federalHoliday('2026-12-25')).toBe('Christmas Day');
    expect(federalHoliday('2026-07-03')).toBe('Independence Day'); // July 4, 2026 is a Saturday
    expect(federalHoliday('2026-12-24')).toBeUndefined();
    expect(isPortingDay('2026-12-25')).toBe(false);
    expect(isPortingDay('2026-12-26')).toBe(false); // a Saturday
    expect(isPortingDay('2026-12-28')).toBe(true);
  });

  it('counts business days over weekends and holidays', () => {
    expect(addBusinessDays('2026-12-23', 2)).toBe('2026-12-28'); // Thu 24, (Fri 25 holiday), Mon 28
    expect(addBusinessDays('2026-11-25', 1)).toBe('2026-11-27'); // Thanksgiving skipped
    expect(businessDaysUntil('2026-12-01', '2026-12-08')).toBe(5);
    expect(businessDaysUntil('2026-12-08', '2026-12-01')).toBe(0);
  });

  it('shows dates as people write them', () => {
    expect(formatDay('2026-12-03')).toBe('Thursday, December 3, 2026');
    expect(formatDay('2026-12-03', new Date('2026-12-01T10:00:00Z'))).toBe('Thursday, December 3');
    expect(formatDay('not a date')).toBe('not a date');
  });
});
