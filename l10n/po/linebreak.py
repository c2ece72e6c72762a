"""Line breaking of PO strings exactly as GNU gettext 0.21 does it.

gettext (msgcat, msgmerge, xgettext) wraps strings with libunistring's
``ulc_width_linebreaks``: break opportunities after UAX #14, computed from
libunistring's line-break property table and pair table, fitted greedily by
display columns (``uc_width``: East Asian wide characters take 2 columns,
combining marks 0).  This module carries those tables as they are in
libunistring 1.0, the library gettext 0.21 is linked against on Debian 12,
and ports its two loops, ``u8_possible_linebreaks_loop`` and
``u8_width_linebreaks_internal``, statement by statement (the tests compare
both with the library itself on random text).

The faithful port works on one character at a time and is slow in Python, so
:func:`breaks_and_columns` has an exact shortcut for the strings met in
practice: when no character has one of the context-dependent classes (BK,
CR, LF, CM, ZW, ZWJ, HL, RI), the opportunities follow from the pair table
alone: inside a run of non-spaces where the pair allows a direct break, and
after spaces where it allows a direct or an indirect one.  Runs of non-spaces
are analysed once and memoised.

Regenerate the tables from an installed libunistring 1.0 with
``python -m l10n.po.linebreak`` (it prints the data blocks).
"""

from __future__ import annotations

import base64
import re
import zlib

# ---------------------------------------------------------------------------
# Tables

# Line-break classes, numbered as in libunistring 1.0.  Classes below 33 index
# the pair table; the others are resolved or handled by the loop itself.
# OP1/CP1 are opening/closing punctuation that is not East Asian wide, OP2/CP2
# the wide ones; ID2 is the ideographic class of unassigned pictographic code
# points.
WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS = range(16)
NU, PO, PR, SY, AL, H2, H3, ID, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM = range(16, 33)
BK, CR, LF, CM, ZW, SP, CB, AI, SA, XX = range(33, 43)
HL_BA = 100  # pseudo class: a Hebrew letter followed by a hyphen or BA

# Break codes of libunistring (enum in unilbrk.h).
UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY, HYPHENATION, CR_BEFORE_LF = range(6)

# Pair table (UAX #14 table 7.3 as libunistring 1.0 has it), row = class
# before, column = class after: 1 direct break, 2 indirect break (only with
# spaces in between), 3 prohibited.
_D, _I, _P = 1, 2, 3
_PAIRS = (
    "322222333322222322232222222222222322222333322222322232222222222222"
    "323212333322112311131111111111111311212333322112311131111111111111"
    "322222333322222322232222222222222311212333322112321131111111111111"
    "321212333323112312231111111111111321212333322112322232111111121211"
    "321212333322112312231111111111111321212333322112311131111111111111"
    "321212333322112311131111111111111321212333322112311131111111111111"
    "333333333333333333333333333333333333333333333333333333333333333333"
    "322222333322332322232222222222222321212333322112321131111111111111"
    "321212333322212322232111111121211321212333322222321132111111121211"
    "321212333322222321132222222221222321212333322112321131111111121111"
    "321212333322212322232111111121211321212333322112312131111112211111"
    "321212333322112312131111111211111321212333322112312131111111111111"
    "321212333322112312131111111111112321212333322112312131221122111111"
    "321212333322112312131111112211111321212333322112312131111111211111"
    "321212333322212322232111111121211321212333322112311131111111111111"
    "321212333322212322232112211121222321212333322112312131111111111112"
    "321212333322112312131111111111111"
)
PAIR = tuple(tuple(int(c) for c in _PAIRS[r * 33:(r + 1) * 33]) for r in range(33))

# One byte per code point U+0000..U+10FFFF: bits 0-5 the line-break class,
# bits 6-7 the uc_width result plus one (-1 for control characters).
# zlib-compressed, base85-encoded.
_DATA = (
    "c-rmV%WmXWVgS%ZzQl<?WQ+h=W!bA4AS-5}&uCN8pxlaVDFn(32aN%Uq;!8HKm#42VT_@qW>(6=3"
    "qxNKzIn-dvQ*Vlcc0Ue>T&tFZ(g#hd6TajfAe==ef76rulSGIRd#coU0wb$yZQcKzW=u$I^TbvW!"
    "Ws-?DFQ1**2HyMON?RtFJeDeR+LzbCWF=+2Shu`z*V@SuD<rmxZh1_j1Fw7uj~Z!uhl;&Wp-$zUT"
    "|KtRTgU^Ia<@$MwzNMQyM^yWbGXzuy;+^|SJ=EUb%R_}t5Glrt~eo~02cm)iGfxz0_PRNc~~$i3o"
    "cmW0Mno3+7N7J9EL#s06auge}i+W0J)&1Tcfai~9DT>tPxxzI-_qgfl3S6N%Ns$43c^zm6+Y_E1j"
    "a7$r?aOx&fB_RxKPtW>|RMl-(Y$z#?tQ!}NmhWDzBr$B;TNw6eA?oWkwwqV4>U1TOdxcHK@@iKj$"
    "`34)JjwDr@3vAt&-2yZtZ1d_mQpI#330EnDT|_`M7>CnNA3PYC^l03_LU>A^Ey=fAJ&rV>uNjKSy"
    "A>$nbGb3n^ku1zx@eGsP<nMS5;)?vnB>zT!*!^%9*$l_xo>lve*8H=})Sy6wgB#HIJ~8{+l+SX|&"
    "VxKi+>b%>O7&8}mPE4E4fUpa1QCnw3NQtPUAQtt#fS%2khfRTf?P^PRoKO}%7UZ<9T;fA#$`=1sj"
    "1brB?e`s?^+tNGt7aUR$I^NIT(lz-l&J+xIZ)TPlCz-a&3u!fWg*r)of?QpvG*XDoQh_XChY;FEu"
    "H@l4M-=J`Jk3d3SS=)wJN2qR@b=Hi^zg%RH1Gf{M6+g9d?VI-9Ms$2l)3A@*+i+V)Vq;W79Mtds?"
    "CdtQYlb#TaZ0P89kTO6@#ppVdHQ-*dR?8=wmtZ|p1T}%Wy$5m<wak2!hWN|5XJ+z=I{6rw%0f?q-"
    "j&fx=0kssGHO4*L!CFl(H}Lyvh2rsvvIT@-BDVFWRiIb{i`ds(adRuYSGnsJt%B=|ix;p4jh?<PR"
    "ru+!Lemx$K1U*mwE;_7jejjwj_v*@m-pdw;OKvpCf$Md*ecscT0(qb>FC^5VGlKTXq><`veSN9NJ"
    "#!<z6s8rrN2AD(}V`j#*Zzdb;A5I$QsC^|b!(>J$imfqZ+t&Y4``<K})ErtxU>Y~Xv$>!yc-UapB"
    "-{&+x$&MJGu&sax3$|zWNi&wN&babsm|YJ!!fZAewQSLjR}U-y?aPlx`nT262VZci&nC0mgLD-%o"
    "W*r>c&<<m*H`M>`1LrAyGF!Q9dZGvKIu=Inh>2p4&q<*HtC?tS@{g02oF2=p4S(bl4_^Bu3v78aT"
    "V2STYJ|1J_>nP<&!ox#p-41(m{D;Q{xw9Png`_gs`SX4=!BRrPOD7(w!~k$x-{0XaDfzU`8O@$H#"
    "{*ADVy1{+MX(*-h9Gn@xLc1J1L$5vS?v;`g7Ee@c?_*|&>Dc6D`mRsI%Fv+ut9F8$M=s_OFkx=}2"
    "!c=M+D=<4#~P5ZnZ)m2?z@%y{-<E0SSw-6Tn2yan;P}`6A#)s*f+V#!Ab@S(X9B{Myn#uV3aCTjN"
    "Xnfs&mRw#O?O!dT_xIDRQhge|h}2>6t9Yfl58D{Nx5cC{H!SMdE}D<di<jlME!yZW>i64ZG+XY|G"
    "KhY*Sd&eQelv^V8p9>Vc`?|`VoUU=`EK*c#^uFulgs5`fe-IK?Jn)UP^M}=Up{HTyxM-YF0**qvZ"
    "HQn(7typ*wy}V&~Sl1imUA<ezu4j?6`eJ?=41kBAXYw*57Pxxm+yfWysqiY?FB%*7gbakx}cevUy"
    "%TS!u89>f-%i?fWRQW6Nb3{dx6JCUbsYKAA7er^OrPPno)UOUpVN%cYma`)`Za_3HEaeVLqxhqrI"
    "HG@pH%SiMx41HToISC!(-dfxOe{l6X6<Np4B&v@K7o!5?-^?Nq9dvS(U<46Uy&nDD{9Y@SVRx1De"
    "wtf7zd(<D~{>e_4n}N!#JVBZ5`SHi$pD&ItZ;U<^Pj-#BMipZ6<F3=8tAXZhusCzOOv?jU`P+6#<"
    "@>X&I;*QT{q48)Dc)tjQXMp#b*t>Y{<hrcad|3_k>zLUaij54|Ml+Oa(TC0et6gZ>!06!C<9w%ZT"
    "a=r>S_J=u2^mUc(-i-ZF09GveDY@!`<U!lH3)_ot$F(_21%gY9%;vg?T)6ZMYjbR(#sA>k<F}000"
    "00IM`Fa5FrNv000000000000000000000001<!JRAsKC;8-W9{a*oObuyG&Lo1oE@w4A^*^cCMAw"
    "cpMN>Y`q_tfFMj+9ptEYS;sfLVk~QfG&E(IUW?Wv$k>)qsl-GHlBzd(!wDxs&c>bNA&t`3G@_hRG"
    "`ACwqTT9cvzBUtVuZZGNBq^@n+pBG9V}B8CKhNXL{_8e%{HEqWQl>bm{^o7=rFG0gHcWq(-ImU7J"
    "AHWdGE8c@?N0j)4{^Ooij>FuFJpDP#o6t2XSZi(#d>G;y2ZoU?WT%eEfH6nGU`=6<;l1?tUhj^fB"
    "oPF`V9R-QC`(gS|)qkKK|!_HxnjIm@r|&gb5QSOqeiX!h{JECQO(xVZww76DCZUFk!-k2@@tvm@r"
    "|&gb5QSOxX0W_)E>dU#|@M!&CtP00000007`K;HIlzwk%t@S!VynPsvZ6?59|0{)V5LpKh^dy6@*"
    "W{(KA<m&Y&6Csl%MSAQ3;b3MFqY31j4?|%OI{reB^{=2@P@;JO|G#}m#|CR4F?djd}-Q(Te`}fN>"
    "q`5!y@|Qm^yZbZ0lqwp+?;hVT%cxZeDB>R91i!os{`)Om$A`h<>%%|1yZG0Oi#PK(o%s|y7cWY*e"
    "X{1U2>tUfMNEGAC9L!nMOpsmVpt!x6iZnDUf5B4cOQSB`+mvIt)Qo_c(ORH>}cY6X4;*EpMU&y^o"
    "$;DKRLqvc=ycQ3He`jrTc6$-8X*SE!_8Pcb~>!VfB8+$Gp$-l=MF(zcyrd*wFSz{pz;GPTc-DuuE"
    "9Y-|hK7p%}u1gX`YqAHuXTS!j<<PwKZ0X?91b-(labx*Q(t>h7Pb{cT$JkQq5bb1Z6SM+iG>WVP("
    "@@Y<v&ZDdF4UyhQ0bzIwt5(?ivG5`C79&i@7W4}?v)+F?!j=zpsP{-T<k=CC!X-&Jo@pyzMmG6`T"
    "Uy`ID9J>V^XZ*KrdYOIq*Y&zjj_-u!yYM{84{GkC%R*_o^{CXhnxvY7DZUCZZU1>c`AwF+DtqAQB"
    "=*&o{Mpccll`Wcswcl`QyXoiItJwVl=FimJC8G9a{f12(9FkEAJnq6sz!M{pV4`FunQATNOm>Jdd"
    "KBlGF5>WKgqG$Uo-v;o8yum)ZZsjW^E|{JP+|<d*hIPe0CPf{4VF!DJOiYfAelYnD>z_-|b_N#0Q"
    "g?-#_oHfpwKg+M!hzw~SCt4Rzf8ce}20zG{?lmHyO@&xa+ys%&-Q&(m}^>jt)+e%O1W{Es?<xQNI"
    "3e;#|<{;MKy3%}jzQ_FkHRAV7DQ;nTfla8I84fl6@8%=NaxsJ~^A9&)U_)F`b){Z>Z4wIsuKYFp{"
    "AXv{h80t>FsD^oQ%#Eg#JbM2#`MkdCA(Fa-EQSI3w(a-b__U#4UOiT0jP$%82t?aUo-m@UI+ipm`"
    "iv-VU&8t7XM29OU(U82K<I{_gV|K$`oBKU&u6=eC0Q%vea*;^ID*=v$*-%X<w!1c*^p!#uMh0M`M"
    "P5%Q(7KZGuInVb^NH$nm*O^OgTPY7q)kN=D&uQ{So7f9$!yQ)M&U6loS8}u2+1#;i~g2PT}(M^5W"
    "uRpC!wME-x-GzO)Rw_!LtdzN!7=Kj^9f006-CMxN!OlCMAj000000001dS$t=Pr+njQ*HXj#m!-$"
    "P-_*qUVVb+krH9x5?ta%%O48`-Pf>if-dJzb&h<z*eq^J&3V#yuFE^JoH;A3AiB2-UZR%6gcUSl("
    "dj0FK!*Dae0ssI20Kn(N^?z6{@A(Yv|M}=jhX?=w00000001vo_3fDUTQbFuZ-DLnRmr{F-QBHwu"
    "X|H=exd~n0Pvak*msN^zq9#%lEw2RNy{6eDJ1{^000h^OtNwLZhOx-70W@s=*esLPyf?0D$na_9q"
    "Oqb#&xHgRA%?gGsmwcPtVITS}(VK@5+c%SFn>b+7su`(^G%E?G!N#p>2O*7#NPWyD)6ydu=$1QHV"
    "atFr(T@nv*=(CzpPhOs;*|lEWOfYPZu-9Lo8=(llE)G!L5w+5o2=|9&agKf>lq9ia{V63c(3HVlt"
    "sVKo1&`CCt09?6r+uPnIHe8D$z9Qe%p)AnLjIMJ257jt=N>S^K;&!MYh|M2*7d8r1%aT?rp^P9bp"
    "_<Rnd{apuvP=C4+FB95NUz#n{f11x@`sKU#!syeRFxbeJLs1*Suq}LYdNsk=ys(__=f}eQBlt105"
    ";T5e_;UH<#62uxMaW{SEL$9`sIWV?|6B3XSq&cK%oP8=(Q>)`OKi&jpC2sWt^b!b+xyFlwKI`}+S"
    "R>zoEs3dn|WBj%d*03n6#*Vs8@b?sJ8I%_HDEH+9*dGU)JycU+Kvym{+^+tzGP4Rh#VcX}{XTI4|"
    "z2e_bZsw`o64{?FU_pSDj6wJ|6@8qK#>jJQn7f|}1C*7i(w&@gN{vH$F1v^9KwynJkmv$Ws1>FVn"
    "0&6_vnvwgO{es^(Tovw$vURQsrZf}_H)tiGhQM`VR)77|VKFJQELtLD1)$7rbVH~fgrfK}n;p?wo"
    "YJTuBaJ_iz4^dqkc4rT3da|<TdpPuX@bJX;R{gAPhvQCmhf~+@@wlt4h=a#vUn{ppb{O6+U!?QLH"
    "R}&wx8Y63oVNWv&$s9H8t;!j{|G+<UnuvZ0{{R30000000000000000000000000000000000000"
    "0000000000000000000000000000000000001>^!O+b000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000013E*~EQ000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000006+gk{!V(_Uy_3!l>{700000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000z%Ks}M8)U7"
)
_RESOLVED = {AI: AL, CB: ID, SA: AL, XX: AL}
_tables: tuple[bytes, bytes] | None = None


def tables() -> tuple[bytes, bytes]:
    """(class, width) of each code point, as two byte strings indexed by code point.

    Classes are resolved as for UTF-8, a non-CJK encoding (the "resolve"
    switch of the loop): AI and SA and XX become AL, CB becomes ID.  Widths
    of control characters (-1 for uc_width) are 0: the loop ignores them.
    Decoded on first use (a few milliseconds).
    """
    global _tables
    if _tables is None:
        raw = zlib.decompress(base64.b85decode("".join(_DATA.split())))
        props = raw.translate(bytes(_RESOLVED.get(b & 63, b & 63) for b in range(256)))
        widths = raw.translate(bytes(max((b >> 6) - 1, 0) for b in range(256)))
        _tables = props, widths
    return _tables


# Classes the shortcut cannot handle: their effect depends on more context
# than the class before.
_CONTEXTUAL = frozenset((BK, CR, LF, CM, ZW, ZWJ, HL, RI))


def char_width(ch: str) -> int:
    """Display columns of one character, as gettext counts them."""
    return tables()[1][ord(ch)]


# Characters outside these ranges may not take exactly one column (the
# ranges are checked against the table by the tests).
ONE_COLUMN_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2010, 0x2027),
                     (0x2030, 0x205E), (0x20A0, 0x20BF), (0x2100, 0x218B))
_MAYBE_NOT_ONE_COLUMN = re.compile(
    "[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ONE_COLUMN_RANGES) + "]")


def display_width(text: str) -> int:
    """Display columns of a string, as gettext counts them."""
    if _MAYBE_NOT_ONE_COLUMN.search(text) is None:
        return len(text)
    widths = tables()[1]
    return sum(widths[ord(c)] for c in text)


# ---------------------------------------------------------------------------
# The faithful port


def possible_linebreaks(text: str) -> list[int]:
    """Break code before each character: port of ``u8_possible_linebreaks_v2``."""
    props = tables()[0]
    table = PAIR
    result = [PROHIBITED] * len(text)
    last_prop = BK  # class of the last non-space character
    prev_prop = BK  # class of the character just before
    seen_space = False
    ri_count = 0
    for i, ch in enumerate(text):
        prop = props[ord(ch)]
        if prop == BK or prop == LF or prop == CR:
            result[i] = MANDATORY
            if prev_prop == CR and prop == LF:
                result[i - 1] = CR_BEFORE_LF
            prev_prop = prop
            last_prop = BK
            seen_space = False
            ri_count = 0
            continue
        if prop == SP:
            seen_space = True
            prev_prop = SP
            ri_count = 0
            continue
        if prop == ZW:
            last_prop = ZW
            prev_prop = ZW
            seen_space = False
            ri_count = 0
            continue
        if prop == CM or prop == ZWJ:
            if last_prop == BK:
                last_prop = AL
            elif last_prop == ZW or seen_space:
                result[i] = POSSIBLE
                last_prop = AL
            prev_prop = prop
            seen_space = False
            ri_count = 0
            continue
        check_hebrew = True
        if last_prop == BK:
            brk = PROHIBITED
        elif last_prop == ZW:
            brk = POSSIBLE
        elif prev_prop == ZWJ:
            brk = PROHIBITED
            check_hebrew = False
        elif last_prop == RI and prop == RI:
            result[i] = POSSIBLE if seen_space or ri_count % 2 == 0 else PROHIBITED
            last_prop = prev_prop = RI
            ri_count += 1
            seen_space = False
            continue
        elif prev_prop == HL_BA:
            brk = PROHIBITED
            check_hebrew = False
        else:
            kind = table[last_prop][prop]
            if kind == _D or (kind == _I and seen_space):
                brk = POSSIBLE
            else:
                brk = PROHIBITED
        result[i] = brk
        last_prop = prop
        seen_space = False
        if check_hebrew and prev_prop == HL and (prop == HY or prop == BA):
            prev_prop = HL_BA
            ri_count = 0
        elif prop == RI:
            prev_prop = RI
            ri_count += 1
        else:
            prev_prop = prop
            ri_count = 0
    return result


def width_linebreaks(text: str, width: int, start_column: int, at_end_columns: int = 0,
                     overrides: dict[int, int] | None = None) -> tuple[list[int], int]:
    """Break codes after fitting to ``width``: port of ``u8_width_linebreaks_v2``.

    ``overrides`` maps positions to a code that replaces the computed one
    (gettext passes PROHIBITED inside escape sequences and format directives).
    Returns the codes (POSSIBLE where a line break goes) and the end column.
    """
    result = possible_linebreaks(text)
    widths = tables()[1]
    last_p = -1
    last_column = start_column
    piece_width = 0
    for i, ch in enumerate(text):
        brk = result[i]
        if overrides:
            brk = overrides.get(i, brk) or brk
        if brk == POSSIBLE or brk == MANDATORY or brk == CR_BEFORE_LF:
            if last_p >= 0 and last_column + piece_width > width:
                result[last_p] = POSSIBLE
                last_column = 0
        if brk == MANDATORY or brk == CR_BEFORE_LF:
            result[i] = brk
            last_p = -1
            last_column = 0
            piece_width = 0
            continue
        if brk == POSSIBLE:
            last_p = i
            last_column += piece_width
            piece_width = 0
        result[i] = PROHIBITED
        piece_width += widths[ord(ch)]
    if last_p >= 0 and last_column + piece_width + at_end_columns > width:
        result[last_p] = POSSIBLE
        last_column = 0
    return result, last_column + piece_width


# ---------------------------------------------------------------------------
# The shortcut used for PO strings

_runs: dict[str, tuple | bool] = {}
# Letters and digits of Latin-1: classes AL and NU, one column each, and no
# direct break between any two of them.
_PLAIN_RUN = re.compile("[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]+")


def _run_info(run: str) -> tuple | bool:
    """(first class, last class, width, ((offset, column), ...)) of a run of non-spaces.

    The offsets are the direct break opportunities inside the run.  ``run``
    is a piece of an escaped PO string: a backslash always starts a
    two-character escape, and no break may fall inside one.  False when the
    run holds a contextual class.
    """
    props, widths = tables()
    if _PLAIN_RUN.fullmatch(run):
        return props[ord(run[0])], props[ord(run[-1])], len(run), ()
    classes = [props[ord(c)] for c in run]
    if _CONTEXTUAL.intersection(classes):
        return False
    inner = []
    column = widths[ord(run[0])]
    escape = run[0] == "\\"
    table = PAIR
    before = classes[0]
    for i in range(1, len(run)):
        after = classes[i]
        if escape:
            escape = False
        else:
            if table[before][after] == _D:
                inner.append((i, column))
            escape = run[i] == "\\"
        column += widths[ord(run[i])]
        before = after
    return classes[0], classes[-1], column, tuple(inner)


def breaks_and_columns(text: str) -> tuple[list[int], list[int], int] | None:
    """Break opportunities of an escaped PO string portion, with their columns.

    Returns (positions, columns, total width), where ``columns[k]`` is the
    display width of ``text[:positions[k]]``, or None when the text needs the
    faithful loop (:func:`width_linebreaks`).  Escape sequences (a backslash
    and the next character) are never broken.
    """
    positions: list[int] = []
    columns: list[int] = []
    runs = _runs
    table = PAIR
    pos = col = -1
    last = -1
    for run in text.split(" "):
        # a space before every run but the first
        pos += 1
        col += 1
        if not run:
            continue
        info = runs.get(run)
        if info is None:
            if len(runs) > 200_000:
                runs.clear()
            info = runs[run] = _run_info(run)
        if info is False:
            return None
        first, final, width, inner = info
        if last >= 0 and table[last][first] != _P:
            positions.append(pos)
            columns.append(col)
        if inner:
            for offset, column in inner:
                positions.append(pos + offset)
                columns.append(col + column)
        last = final
        pos += len(run)
        col += width
    return positions, columns, col


def fit(positions: list[int], columns: list[int], total: int, width: int, start_column: int) -> list[int]:
    """Where the lines break when the pieces between opportunities are laid out greedily.

    The same decisions as the fitting part of ``u8_width_linebreaks``: a
    piece that ends past ``width`` moves to a new line, unless it is the
    first piece of the text.
    """
    breaks = []
    last_p = -1
    last_column = start_column
    piece_start = 0
    for p, c in zip(positions, columns):
        piece = c - piece_start
        if last_p >= 0 and last_column + piece > width:
            breaks.append(last_p)
            last_column = 0
        last_p = p
        last_column += piece
        piece_start = c
    if last_p >= 0 and last_column + total - piece_start > width:
        breaks.append(last_p)
    return breaks


# ---------------------------------------------------------------------------
# Regenerating the tables


def _from_libunistring() -> tuple[bytes, str]:  # pragma: no cover - maintenance tool
    """Read the tables out of the installed libunistring 1.0 (via ctypes)."""
    import ctypes
    import struct

    lib = ctypes.CDLL("libunistring.so.2")
    version = ctypes.c_int.in_dll(lib, "_libunistring_version").value
    if version >> 8 != 0x100:
        raise SystemExit(f"libunistring {version >> 16}.{(version >> 8) & 255}: the table layout read here is 1.0's")
    prop_table = ctypes.c_char.in_dll(lib, "libunistring_unilbrkprop")
    raw = ctypes.string_at(ctypes.addressof(prop_table), 60 + 8192 + 31488)
    level1 = struct.unpack_from("<15i", raw, 0)
    level2 = struct.unpack_from("<2048i", raw, 60)
    level3 = raw[60 + 8192:]

    def lookup(uc: int) -> int:
        if uc >> 16 < 15 and level1[uc >> 16] >= 0:
            index = level2[level1[uc >> 16] + ((uc >> 7) & 511)]
            if index >= 0:
                return level3[index + (uc & 127)]
        return XX

    lib.uc_width.restype = ctypes.c_int
    lib.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    data = bytes(lookup(uc) | ((lib.uc_width(uc, b"UTF-8") + 1) << 6) for uc in range(0x110000))
    pairs = ctypes.string_at(ctypes.addressof(ctypes.c_char.in_dll(lib, "libunistring_unilbrk_table")), 33 * 33)
    return data, "".join(str(v) for v in pairs)


if __name__ == "__main__":  # pragma: no cover
    data, pairs = _from_libunistring()
    blob = base64.b85encode(zlib.compress(data, 9)).decode()
    print("_PAIRS = (")
    for r in range(0, len(pairs), 66):
        print(f'    "{pairs[r:r + 66]}"')
    print(")")
    print("_DATA = (")
    for r in range(0, len(blob), 76):
        print(f'    "{blob[r:r + 76]}"')
    print(")")
