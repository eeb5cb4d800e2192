"""The first version of the code of conduct in the demo data, in Dutch, as Markdown.

It starts without a level-1 heading, because the page that shows it has one.
"""

DEMO_CONDUCT_TEXT = """\
Met biebvoucher geeft u inwoners van Limburg met een kleine beurs een gratis lidmaatschap van
de bibliotheek. U werkt daarbij met gegevens van mensen die u vertrouwen. Door deze gedragscode
te accepteren, belooft u het volgende.

## Vertrouwelijkheid

- U gebruikt de gegevens van inwoners (naam, geboortedatum, vouchercode) alleen om een voucher
  uit te geven, te controleren, in te nemen of te laten vergoeden.
- U deelt die gegevens met niemand die ze niet nodig heeft voor dit werk, ook niet met collega's
  buiten het programma.
- U maakt geen kopieën, schermafbeeldingen of lijsten van inwonersgegevens buiten biebvoucher.
- Geprinte vouchers geeft u alleen aan de inwoner zelf. Vouchers die niet meer nodig zijn,
  trekt u in en vernietigt u.

## Vouchers uitgeven

- U geeft een voucher alleen aan een inwoner die aan de voorwaarden van het programma voldoet.
  Twijfelt u, overleg dan eerst met uw organisatie.
- U maakt niet meer vouchers aan dan u binnenkort uitdeelt. Elke voucher hoort een
  lidmaatschap te worden.
- U geeft een voucher nooit aan uzelf, aan familie of aan vrienden.

## Aan de balie

- U neemt een voucher alleen in als de gegevens op de voucher kloppen met het legitimatiebewijs
  van de inwoner.
- U maakt een inname alleen ongedaan als die per ongeluk is gedaan, en u noteert de reden.

## Uw account

- Uw account is persoonlijk. U deelt uw wachtwoord en uw inlogcodes met niemand.
- U logt uit als u de computer of tablet achterlaat.
- Denkt u dat iemand anders uw account gebruikt, of ziet u iets wat niet klopt? Meld het direct
  bij de beheerder.

Wie zich niet aan deze gedragscode houdt, kan de toegang tot biebvoucher verliezen.
"""
