import { expect } from 'chai';
import { fig, figureText, tableCsv } from '../../src/admin/html.js';

describe('admin figures: zero is zero, small groups are hidden', () => {
  it('shows 0 as 0 (no learner can be picked out of nobody), and 1–4 learners as "fewer than 5"', () => {
    expect(figureText(fig(0, 0), 5)).to.equal('0');
    expect(figureText(fig(3, 3), 5)).to.equal('fewer than 5');
    expect(figureText(fig(12, 5), 5)).to.equal('12');
    expect(tableCsv({ id: 't', caption: 'c', head: ['lesson', 'learners'], rows: [['a', fig(0, 0)], ['b', fig(2, 2)]] }, 5)).to.equal('lesson,learners\r\na,0\r\nb,fewer than 5\r\n');
  });
});
