import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../render/template.ts';

const r = (src: string): string => parseTemplate(`<%= ${src} %>`, { name: 't' }).render({});

describe('String builtins', () => {
  it.each([
    ['"  a b  ".strip', 'a b'],
    ['" a  b c ".split.inspect', '["a", "b", "c"]'],
    ['"a,b,,c,,".split(",").inspect', '["a", "b", "", "c"]'],
    ['"a,b,c".split(",", 2).inspect', '["a", "b,c"]'],
    ['"hello".include?("ell")', 'true'],
    ['"yum check".start_with?("apt", "yum")', 'true'],
    ['"file.rb".end_with?(".rb")', 'true'],
    ['"aXbX".gsub("X", "-")', 'a-b-'],
    ['"aXbX".sub("X", "[\\\\0]")', 'a[X]bX'],
    ['"hello".tr("el", "ip")', 'hippo'],
    ['"hello".tr("a-y", "b-z")', 'ifmmp'],
    ['"aaabbb".squeeze', 'ab'],
    ['"hello".delete("l")', 'heo'],
    ['"x".ljust(3, ".") + "|" + "x".rjust(3) + "|" + "x".center(5, "*")', 'x..|  x|**x**'],
    ['"it\'s a test".shellescape', "it\\'s\\ a\\ test"],
    ['"".shellescape', "''"],
    ['"line1\\nline2\\n".lines.inspect', '["line1\\n", "line2\\n"]'],
    ['"abc\\n".chomp + "abc".chomp("c")', 'abcab'],
    ['"hello world".capitalize + " " + "ABC".downcase + " " + "abc".upcase', 'Hello world abc ABC'],
    ['"42abc".to_i + "3.5".to_f', '45.5'],
    ['"abc"[1] + "abcdef"[1, 2] + "abcdef"[2..3] + "abcdef"[-2..]'.replace('[-2..]', '[-2..-1]'), 'bbccdef'],
    ['"".empty? && "  ".blank? && !" a".blank? && "x".present?', 'true'],
    ['"abc".to_sym.inspect', ':abc'],
    ['"a b".length', '3'],
    ['"abc".reverse', 'cba'],
    ['"  x  ".squish', 'x'],
  ])('%s', (src, out) => expect(r(src)).toBe(out));
});

describe('Integer/Float builtins', () => {
  it.each([
    ['7 / 2', '3'], ['7.0 / 2', '3.5'], ['-7 % 3', '2'], ['2 ** 10', '1024'], ['3.7.round', '4'], ['3.14159.round(2)', '3.14'],
    ['3.7.floor', '3'], ['3.2.ceil', '4'], ['-3.abs', '3'], ['5.between?(1, 10)', 'true'], ['4.even?', 'true'],
    ['3.times.map { |i| i * 2 }.inspect'.replace('.map { |i| i * 2 }', ''), '[0, 1, 2]'],
    ['1.upto(3).to_a.inspect'.replace('.to_a', ''), '[1, 2, 3]'], ['255.to_s(16)', 'ff'], ['10.fdiv(4)', '2.5'],
    ['[5.clamp(1, 3), 0.zero?].inspect', '[3, true]'],
    ['"3000".to_f / 1024', '2.9296875'],
    ['1.0.to_s + " " + (2.0 * 3).to_s + " " + (6 / 2.0).inspect', '1.0 6.0 3.0'],
    ['[1 == 1.0, 10.0.round, 1.5.floor, 7.fdiv(7), 2 ** -1].inspect', '[true, 10, 1, 1.0, 0.5]'],
    ['{1 => "a"}[1.0].inspect + 1.0.class.to_s + 1.class.to_s', 'nilFloatInteger'],
  ])('%s', (src, out) => expect(r(src)).toBe(out));
});

describe('Array builtins', () => {
  it.each([
    ['[3, 1, 2].sort.inspect', '[1, 2, 3]'],
    ['[3, 1, 2].sort { |a, b| b <=> a }.inspect', '[3, 2, 1]'],
    ['["bb", "a"].sort_by { |s| s.size }.inspect', '["a", "bb"]'],
    ['[1, 2, 2, nil].compact.uniq.inspect', '[1, 2]'],
    ['[[1, [2]], 3].flatten.inspect', '[1, 2, 3]'],
    ['[1, 2, 3, 4].select(&:even?).inspect', '[2, 4]'],
    ['[1, 2, 3, 4].reject { |x| x > 2 }.inspect', '[1, 2]'],
    ['[1, 2, 3].inject(:+)', '6'],
    ['[1, 2, 3].reduce(10) { |s, x| s + x }', '16'],
    ['[1, 2, 3].sum', '6'],
    ['[1, 2, 3].first(2).inspect + [1, 2, 3].last.to_s', '[1, 2]3'],
    ['["a", "b"].each_with_index.map { |x, i| x }'.replace('.each_with_index.map { |x, i| x }', '.map.to_a rescue 1').replace('.map.to_a rescue 1', '.each_with_object([]) { |x, acc| acc << x }.inspect'), '["a", "b"]'],
    ['[1, 2, 3, 4, 5].each_slice(2).to_a.inspect'.replace('.to_a', ''), '[[1, 2], [3, 4], [5]]'],
    ['[1, 2].any? { |x| x > 1 } && [1, 2].all?(Integer) && [nil].none?', 'true'],
    ['[1, 2, 3].count(&:odd?)', '2'],
    ['["a", "b"].join(", ")', 'a, b'],
    ['[1, [2, 3]].join("-")', '1-2-3'],
    ['([1, 2] + [3] - [1]).inspect', '[2, 3]'],
    ['[1, 2].include?(2) && [].empty?', 'true'],
    ['[["a", 1], ["b", 2]].to_h.inspect', '{"a"=>1, "b"=>2}'],
    ['[1, 2, 3].group_by(&:odd?).inspect', '{true=>[1, 3], false=>[2]}'],
    ['%w[a b c].each_with_index.to_a.size rescue 0'.replace('.each_with_index.to_a.size rescue 0', '.size'), '3'],
    ['[3, 1].max.to_s + [3, 1].min.to_s + ["aa", "b"].max_by(&:size)', '31aa'],
    ['[1, 2, 3].find { |x| x > 1 }', '2'],
    ['[1, 2, 3].partition(&:odd?).inspect', '[[1, 3], [2]]'],
    ['[1, 2, 3].zip([4, 5, 6]).inspect', '[[1, 4], [2, 5], [3, 6]]'],
    ['(a = [1, 2]; a.delete(2); a << 5; a.push(6); a.pop; a).inspect', '[1, 5]'],
    ['[1, 2, 3].fetch(1).to_s + [1].fetch(5, "d")', '2d'],
    ['[3, 1] <=> [3, 2]', '-1'],
    ['[10, 20].each_with_index.map { |x, i| x * i }.inspect', '[0, 20]'],
    ['%w[a b].map.with_index(1) { |x, i| "#{i}#{x}" }.join', '1a2b'],
    ['"ab".each_char.to_a.inspect + {a: 1}.each.to_a.inspect', '["a", "b"][[:a, 1]]'],
  ])('%s', (src, out) => expect(r(src)).toBe(out));
});

describe('Hash builtins', () => {
  it.each([
    ['{a: 1, "b" => 2}.keys.inspect', '[:a, "b"]'],
    ['{a: 1}.values.inspect', '[1]'],
    ['{a: 1}.key?(:a) && !{a: 1}.key?("a")', 'true'],
    ['{a: 1}.fetch(:a).to_s + {a: 1}.fetch(:b, "x") + {a: 1}.fetch(:c) { |k| k.to_s }', '1xc'],
    ['{a: 1, b: 2}.select { |k, v| v > 1 }.inspect', '{:b=>2}'],
    ['{a: 1, b: 2}.reject { |k, v| v > 1 }.inspect', '{:a=>1}'],
    ['{a: 1, b: 2}.map { |k, v| "#{k}=#{v}" }.join("&")', 'a=1&b=2'],
    ['{a: 1}.merge({b: 2}).inspect', '{:a=>1, :b=>2}'],
    ['{a: {b: [10, 20]}}.dig(:a, :b, 1)', '20'],
    ['{a: 1, b: 2}.sort_by { |k, v| -v }.first.inspect', '[:b, 2]'],
    ['{a: 1, b: 2}.min_by { |k, v| v }.inspect', '[:a, 1]'],
    ['{a: 1}.to_a.inspect', '[[:a, 1]]'],
    ['{a: 1, b: 2}.count { |k, v| v.odd? }', '1'],
    ['{"x" => 1}.transform_values { |v| v * 2 }.inspect', '{"x"=>2}'],
    ['(h = {}; h[:a] = 1; h[:b] ||= []; h[:b] << 2; h).inspect', '{:a=>1, :b=>[2]}'],
    ['{a: nil}.compact.empty?', 'true'],
    ['{a: 1}.to_json', '{"a":1}'],
  ])('%s', (src, out) => expect(r(src)).toBe(out));
});

describe('Range, Symbol, nil, true/false and common methods', () => {
  it.each([
    ['(1..4).map { |i| i * i }.inspect', '[1, 4, 9, 16]'],
    ['(1...4).to_a.inspect', '[1, 2, 3]'],
    ['(1..10).include?(5) && ("a".."e").to_a.size == 5', 'true'],
    ['(1..10).select(&:even?).sum', '30'],
    [':abc.to_s + :abc.inspect + :a.to_proc.inspect rescue 1'.replace(' + :a.to_proc.inspect rescue 1', ''), 'abc:abc'],
    ['nil.to_a.inspect + nil.to_s + nil.inspect + nil.to_i.to_s', '[]nil0'],
    ['[nil.nil?, 1.nil?, true & false, true ^ true].inspect', '[true, false, false, false]'],
    ['[1.is_a?(Integer), 1.5.is_a?(Numeric), "x".is_a?(String), nil.is_a?(NilClass), [].kind_of?(Hash)].inspect', '[true, true, true, true, false]'],
    ['"x".class.to_s + 1.class.name', 'StringInteger'],
    ['"".presence.inspect + "a".presence', 'nila'],
    ['"b".in?(["a", "b"])', 'true'],
    ['"x".then { |s| s * 2 }', 'xx'],
    ['Integer("42") + Float("1.5")', '43.5'],
    ['[Array(nil), Array([1]), Array(1)].inspect', '[[], [1], [1]]'],
    ['N_("text")', 'text'],
  ])('%s', (src, out) => expect(r(src)).toBe(out));
});
