/**
 * The demo catalog's fixed structure: a three-level category tree (in display order), the
 * collections, and per leaf category the vocabulary the generator draws products from.
 */

export interface LeafTemplate {
  /** Product nouns; the title ends with one of them. */
  nouns: readonly string[];
  brands: readonly string[];
  materials: readonly string[];
  colours: readonly string[];
  /** Size option values, in order; absent when the product has no Size option. */
  sizes?: readonly string[];
  /** How many colours a product comes in: 0 means no Colour option. */
  colourCount: readonly [number, number];
  /** Each step up the Size option adds this percentage (bigger pan, bigger tent); 0 or absent: same price. */
  sizeSurchargePct?: number;
  /** Base price range in whole euros. */
  priceEur: readonly [number, number];
  weightGrams: readonly [number, number];
  /** Selling points; descriptions combine a few of them. */
  features: readonly string[];
}

export interface CategoryNode {
  handle: string;
  name: string;
  children?: CategoryNode[];
  template?: LeafTemplate;
  /** Relative share of generated products that land in this leaf. */
  weight?: number;
}

const APPAREL_COLOURS = [
  'Black',
  'White',
  'Navy',
  'Grey',
  'Olive',
  'Sand',
  'Burgundy',
  'Sky Blue',
  'Forest Green',
];
const SHOE_COLOURS = ['Black', 'White', 'Volt Yellow', 'Ocean Blue', 'Coral', 'Charcoal', 'Lime', 'Red'];
const HOME_COLOURS = ['Stone', 'Charcoal', 'Sage', 'Terracotta', 'Cream', 'Matte Black', 'Copper'];
const TECH_COLOURS = ['Black', 'Silver', 'Space Grey', 'White', 'Midnight Blue', 'Rose Gold'];
const OUTDOOR_COLOURS = ['Olive', 'Orange', 'Slate', 'Glacier Blue', 'Moss', 'Black', 'Red'];
const SHOE_SIZES = ['40', '41', '42', '43', '44', '45', '46'];
const WIDE_SHOE_SIZES = ['36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46'];
const GARMENT_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

const running: LeafTemplate = {
  nouns: ['Running Shoe', 'Road Running Shoe', 'Racing Flat', 'Daily Trainer'],
  brands: ['Stridewell', 'Kinetic', 'Aerofoot', 'Pacecraft'],
  materials: ['engineered mesh', 'recycled knit', 'breathable mesh'],
  colours: SHOE_COLOURS,
  sizes: SHOE_SIZES,
  colourCount: [1, 2],
  priceEur: [55, 170],
  weightGrams: [210, 320],
  features: [
    'a responsive foam midsole that returns energy on every stride',
    'a rubber outsole that grips on wet tarmac',
    'a padded collar with a gusseted tongue',
    'an 8 mm heel-to-toe drop for a smooth transition',
    'reflective details for early-morning runs',
    'a roomy toe box that lets your feet splay naturally',
  ],
};

export const CATEGORY_TREE: CategoryNode[] = [
  {
    handle: 'apparel',
    name: 'Apparel',
    children: [
      {
        handle: 'shoes',
        name: 'Shoes',
        children: [
          { handle: 'running-shoes', name: 'Running', template: running, weight: 10 },
          {
            handle: 'trail-shoes',
            name: 'Trail',
            weight: 5,
            template: {
              ...running,
              nouns: ['Trail Running Shoe', 'Trail Shoe', 'Mountain Runner'],
              materials: ['ripstop mesh', 'waterproof membrane', 'abrasion-resistant mesh'],
              priceEur: [80, 190],
              weightGrams: [280, 380],
              features: [
                'deep 5 mm lugs that bite into mud and loose rock',
                'a rock plate that shields the forefoot',
                'a waterproof, breathable membrane',
                'a toe bumper against roots and stones',
                'quick-pull laces with a lace garage',
              ],
            },
          },
          {
            handle: 'sneakers',
            name: 'Sneakers',
            weight: 6,
            template: {
              nouns: ['Sneaker', 'Low-Top Sneaker', 'Court Sneaker', 'Canvas Sneaker'],
              brands: ['Northbound', 'Urbanfield', 'Kinetic', 'Maple & Stone'],
              materials: ['full-grain leather', 'organic canvas', 'suede'],
              colours: SHOE_COLOURS,
              sizes: WIDE_SHOE_SIZES,
              colourCount: [1, 2],
              priceEur: [45, 140],
              weightGrams: [350, 520],
              features: [
                'a cupsole stitched for years of wear',
                'a cushioned cork-latex footbed',
                'waxed cotton laces',
                'a clean, minimal silhouette',
              ],
            },
          },
          {
            handle: 'boots',
            name: 'Boots',
            weight: 4,
            template: {
              nouns: ['Chelsea Boot', 'Hiking Boot', 'Lace-Up Boot', 'Winter Boot'],
              brands: ['Maple & Stone', 'Fjellgard', 'Northbound'],
              materials: ['waxed leather', 'nubuck', 'suede'],
              colours: ['Brown', 'Black', 'Tan', 'Dark Olive'],
              sizes: WIDE_SHOE_SIZES,
              colourCount: [1, 2],
              priceEur: [90, 260],
              weightGrams: [800, 1400],
              features: [
                'a Goodyear-welted sole that can be resoled',
                'a warm wool lining',
                'a grippy lugged outsole',
                'a water-resistant finish',
              ],
            },
          },
        ],
      },
      {
        handle: 't-shirts',
        name: 'T-shirts',
        children: [
          {
            handle: 'crew-neck-t-shirts',
            name: 'Crew neck',
            weight: 7,
            template: {
              nouns: ['Crew Neck T-Shirt', 'Essential T-Shirt', 'Heavyweight T-Shirt', 'Pocket T-Shirt'],
              brands: ['Loom & Co', 'Urbanfield', 'Basecamp Supply', 'Northbound'],
              materials: ['organic cotton', 'Supima cotton', 'cotton-linen blend', 'recycled cotton'],
              colours: APPAREL_COLOURS,
              sizes: GARMENT_SIZES,
              colourCount: [1, 3],
              priceEur: [15, 45],
              weightGrams: [140, 230],
              features: [
                'a relaxed fit that keeps its shape wash after wash',
                'a ribbed collar that does not stretch out',
                'pre-shrunk fabric',
                'side seams for a better drape',
                'a soft hand feel from enzyme washing',
              ],
            },
          },
          {
            handle: 'v-neck-t-shirts',
            name: 'V-neck',
            weight: 3,
            template: {
              nouns: ['V-Neck T-Shirt', 'Slim V-Neck Tee'],
              brands: ['Loom & Co', 'Urbanfield'],
              materials: ['organic cotton', 'modal-cotton blend', 'bamboo jersey'],
              colours: APPAREL_COLOURS,
              sizes: GARMENT_SIZES,
              colourCount: [1, 3],
              priceEur: [15, 40],
              weightGrams: [120, 200],
              features: [
                'a slim fit',
                'a flattering shallow V',
                'a silky, breathable jersey',
                'flatlock seams',
              ],
            },
          },
          {
            handle: 'graphic-t-shirts',
            name: 'Graphic',
            weight: 4,
            template: {
              nouns: ['Graphic T-Shirt', 'Print Tee', 'Logo T-Shirt'],
              brands: ['Basecamp Supply', 'Kinetic', 'Urbanfield'],
              materials: ['organic cotton', 'recycled cotton'],
              colours: APPAREL_COLOURS,
              sizes: GARMENT_SIZES,
              colourCount: [1, 2],
              priceEur: [20, 45],
              weightGrams: [160, 220],
              features: [
                'a water-based screen print that ages well',
                'artwork by an independent illustrator',
                'a boxy, modern fit',
              ],
            },
          },
        ],
      },
      {
        handle: 'jackets',
        name: 'Jackets',
        children: [
          {
            handle: 'rain-jackets',
            name: 'Rain',
            weight: 3,
            template: {
              nouns: ['Rain Jacket', 'Shell Jacket', 'Waterproof Anorak'],
              brands: ['Fjellgard', 'Basecamp Supply', 'Tidewater'],
              materials: ['3-layer recycled nylon', '2.5-layer polyester', 'waxed cotton'],
              colours: OUTDOOR_COLOURS,
              sizes: GARMENT_SIZES,
              colourCount: [1, 3],
              priceEur: [70, 280],
              weightGrams: [280, 520],
              features: [
                'fully taped seams',
                'a helmet-compatible hood',
                'pit zips for venting',
                'a packable design',
              ],
            },
          },
          {
            handle: 'down-jackets',
            name: 'Down',
            weight: 2,
            template: {
              nouns: ['Down Jacket', 'Puffer Jacket', 'Down Vest'],
              brands: ['Fjellgard', 'Northbound'],
              materials: ['responsibly sourced 700-fill down', 'recycled synthetic insulation'],
              colours: OUTDOOR_COLOURS,
              sizes: GARMENT_SIZES,
              colourCount: [1, 3],
              priceEur: [110, 340],
              weightGrams: [300, 700],
              features: [
                'baffled chambers that keep the fill in place',
                'a stuff sack',
                'a windproof face fabric',
              ],
            },
          },
          {
            handle: 'fleece-jackets',
            name: 'Fleece',
            weight: 2,
            template: {
              nouns: ['Fleece Jacket', 'Half-Zip Fleece', 'Grid Fleece'],
              brands: ['Basecamp Supply', 'Fjellgard', 'Loom & Co'],
              materials: ['recycled polyester fleece', 'merino-blend fleece'],
              colours: OUTDOOR_COLOURS,
              sizes: GARMENT_SIZES,
              colourCount: [1, 3],
              priceEur: [45, 140],
              weightGrams: [300, 520],
              features: ['zipped hand pockets', 'a grid back that breathes', 'a brushed inner face'],
            },
          },
        ],
      },
    ],
  },
  {
    handle: 'home',
    name: 'Home',
    children: [
      {
        handle: 'kitchen',
        name: 'Kitchen',
        children: [
          {
            handle: 'cookware',
            name: 'Cookware',
            weight: 5,
            template: {
              nouns: ['Frying Pan', 'Saucepan', 'Dutch Oven', 'Wok', 'Sauté Pan'],
              brands: ['Hearth & Co', 'Ferro', 'Copperline'],
              materials: ['cast iron', 'tri-ply stainless steel', 'carbon steel', 'enamelled cast iron'],
              colours: HOME_COLOURS,
              sizes: ['20 cm', '24 cm', '28 cm'],
              colourCount: [0, 2],
              sizeSurchargePct: 15,
              priceEur: [30, 240],
              weightGrams: [900, 5200],
              features: [
                'a base that works on induction, gas and in the oven',
                'a riveted stay-cool handle',
                'even heat from base to rim',
                'a lifetime warranty',
              ],
            },
          },
          {
            handle: 'kitchen-knives',
            name: 'Knives',
            weight: 3,
            template: {
              nouns: ["Chef's Knife", 'Santoku Knife', 'Paring Knife', 'Bread Knife', 'Knife Set'],
              brands: ['Ferro', 'Kitahara', 'Hearth & Co'],
              materials: ['Damascus steel', 'German stainless steel', 'VG-10 steel'],
              colours: ['Walnut', 'Olive Wood', 'Black'],
              colourCount: [0, 2],
              priceEur: [25, 320],
              weightGrams: [120, 1400],
              features: ['a full-tang blade', 'a hand-honed 15° edge', 'a balanced pakka-wood handle'],
            },
          },
          {
            handle: 'coffee-and-tea',
            name: 'Coffee & tea',
            weight: 4,
            template: {
              nouns: ['Pour-Over Set', 'French Press', 'Burr Grinder', 'Tea Kettle', 'Espresso Cups'],
              brands: ['Brewhaus', 'Hearth & Co', 'Kitahara'],
              materials: ['borosilicate glass', 'stainless steel', 'stoneware', 'porcelain'],
              colours: HOME_COLOURS,
              colourCount: [0, 3],
              priceEur: [18, 220],
              weightGrams: [250, 2200],
              features: [
                'a dishwasher-safe build',
                'a precise gooseneck spout',
                'a double wall that keeps drinks hot',
              ],
            },
          },
        ],
      },
      {
        handle: 'bed-and-bath',
        name: 'Bed & bath',
        children: [
          {
            handle: 'bed-linen',
            name: 'Bed linen',
            weight: 4,
            template: {
              nouns: ['Duvet Cover Set', 'Fitted Sheet', 'Pillowcase Pair'],
              brands: ['Linnea', 'Loom & Co'],
              materials: ['stonewashed linen', 'percale cotton', 'sateen cotton'],
              colours: HOME_COLOURS,
              sizes: ['Single', 'Double', 'King'],
              colourCount: [1, 3],
              sizeSurchargePct: 15,
              priceEur: [25, 190],
              weightGrams: [400, 2100],
              features: [
                'OEKO-TEX certified fabric',
                'a weave that gets softer with every wash',
                'hidden button closure',
              ],
            },
          },
          {
            handle: 'towels',
            name: 'Towels',
            weight: 3,
            template: {
              nouns: ['Bath Towel', 'Hand Towel Set', 'Bath Sheet'],
              brands: ['Linnea', 'Tidewater'],
              materials: ['Turkish cotton', 'organic cotton waffle'],
              colours: HOME_COLOURS,
              colourCount: [1, 4],
              priceEur: [12, 80],
              weightGrams: [300, 1200],
              features: ['quick-drying loops', '600 gsm loops', 'a hanging loop'],
            },
          },
        ],
      },
      {
        handle: 'lighting',
        name: 'Lighting',
        children: [
          {
            handle: 'table-lamps',
            name: 'Table lamps',
            weight: 3,
            template: {
              nouns: ['Table Lamp', 'Desk Lamp', 'Bedside Lamp'],
              brands: ['Lumo', 'Nordlys'],
              materials: ['spun aluminium', 'opal glass', 'oak', 'ceramic'],
              colours: HOME_COLOURS,
              colourCount: [1, 3],
              priceEur: [35, 260],
              weightGrams: [800, 3200],
              features: ['a dimmable warm-white LED', 'a fabric cable', 'a touch switch'],
            },
          },
          {
            handle: 'pendant-lights',
            name: 'Pendant lights',
            weight: 2,
            template: {
              nouns: ['Pendant Light', 'Ceiling Pendant'],
              brands: ['Lumo', 'Nordlys'],
              materials: ['spun aluminium', 'rattan', 'opal glass'],
              colours: HOME_COLOURS,
              colourCount: [1, 3],
              priceEur: [45, 380],
              weightGrams: [600, 2800],
              features: ['a 2 m adjustable cord', 'glare-free diffusion', 'an E27 fitting'],
            },
          },
        ],
      },
    ],
  },
  {
    handle: 'electronics',
    name: 'Electronics',
    children: [
      {
        handle: 'audio',
        name: 'Audio',
        children: [
          {
            handle: 'headphones',
            name: 'Headphones',
            weight: 5,
            template: {
              nouns: ['Wireless Headphones', 'Noise-Cancelling Headphones', 'Studio Headphones'],
              brands: ['Sonique', 'Auralis', 'Volta'],
              materials: ['aluminium and vegan leather', 'recycled plastic', 'magnesium'],
              colours: TECH_COLOURS,
              colourCount: [1, 3],
              priceEur: [49, 399],
              weightGrams: [180, 350],
              features: [
                'active noise cancelling',
                '40 hours of battery life',
                'multipoint Bluetooth 5.3',
                'memory-foam ear cushions',
              ],
            },
          },
          {
            handle: 'earbuds',
            name: 'Earbuds',
            weight: 4,
            template: {
              nouns: ['True Wireless Earbuds', 'Sport Earbuds', 'ANC Earbuds'],
              brands: ['Sonique', 'Auralis', 'Volta'],
              materials: ['recycled plastic', 'matte polycarbonate'],
              colours: TECH_COLOURS,
              colourCount: [1, 3],
              priceEur: [29, 279],
              weightGrams: [40, 70],
              features: ['IPX5 sweat resistance', 'a wireless charging case', 'transparency mode'],
            },
          },
          {
            handle: 'speakers',
            name: 'Speakers',
            weight: 4,
            template: {
              nouns: ['Bluetooth Speaker', 'Smart Speaker', 'Bookshelf Speakers', 'Portable Speaker'],
              brands: ['Sonique', 'Volta', 'Auralis'],
              materials: ['woven fabric and aluminium', 'walnut veneer', 'rugged silicone'],
              colours: TECH_COLOURS,
              colourCount: [1, 3],
              priceEur: [39, 499],
              weightGrams: [450, 6500],
              features: ['360° sound', 'an IP67 waterproof rating', 'stereo pairing', 'room-filling bass'],
            },
          },
        ],
      },
      {
        handle: 'wearables',
        name: 'Wearables',
        children: [
          {
            handle: 'smartwatches',
            name: 'Smartwatches',
            weight: 3,
            template: {
              nouns: ['Smartwatch', 'GPS Sports Watch', 'Hybrid Watch'],
              brands: ['Pulsar Labs', 'Volta', 'Kinetic'],
              materials: ['titanium', 'aluminium', 'stainless steel'],
              colours: TECH_COLOURS,
              sizes: ['41 mm', '45 mm'],
              colourCount: [1, 3],
              sizeSurchargePct: 15,
              priceEur: [99, 599],
              weightGrams: [35, 80],
              features: [
                'an always-on AMOLED display',
                'dual-band GPS',
                'a 10-day battery',
                'heart-rate and sleep tracking',
              ],
            },
          },
          {
            handle: 'fitness-trackers',
            name: 'Fitness trackers',
            weight: 2,
            template: {
              nouns: ['Fitness Tracker', 'Activity Band'],
              brands: ['Pulsar Labs', 'Kinetic'],
              materials: ['silicone', 'recycled aluminium'],
              colours: TECH_COLOURS,
              colourCount: [1, 3],
              priceEur: [29, 159],
              weightGrams: [20, 40],
              features: ['a 14-day battery', 'water resistance to 50 m', 'step and sleep tracking'],
            },
          },
        ],
      },
      {
        handle: 'tech-accessories',
        name: 'Accessories',
        children: [
          {
            handle: 'chargers',
            name: 'Chargers',
            weight: 3,
            template: {
              nouns: ['GaN Charger', 'Wireless Charging Pad', 'Power Bank'],
              brands: ['Volta', 'Ampere'],
              materials: ['recycled polycarbonate', 'aluminium'],
              colours: ['Black', 'White'],
              colourCount: [1, 2],
              priceEur: [15, 120],
              weightGrams: [60, 450],
              features: [
                '65 W USB-C power delivery',
                'a foldable plug',
                'three ports for three devices at once',
              ],
            },
          },
          {
            handle: 'cables',
            name: 'Cables',
            weight: 2,
            template: {
              nouns: ['USB-C Cable', 'Braided Lightning Cable', 'HDMI Cable'],
              brands: ['Ampere', 'Volta'],
              materials: ['braided nylon', 'TPE'],
              colours: ['Black', 'White', 'Grey'],
              sizes: ['1 m', '2 m'],
              colourCount: [1, 2],
              sizeSurchargePct: 15,
              priceEur: [9, 39],
              weightGrams: [30, 110],
              features: [
                'a jacket tested for 30,000 bends',
                'support for 240 W charging',
                '40 Gbps data transfer',
              ],
            },
          },
        ],
      },
    ],
  },
  {
    handle: 'outdoor',
    name: 'Outdoor',
    children: [
      {
        handle: 'camping',
        name: 'Camping',
        children: [
          {
            handle: 'tents',
            name: 'Tents',
            weight: 3,
            template: {
              nouns: ['Backpacking Tent', 'Dome Tent', 'Tunnel Tent'],
              brands: ['Fjellgard', 'Basecamp Supply', 'Wildreach'],
              materials: ['silnylon', 'ripstop polyester', 'Dyneema composite'],
              colours: OUTDOOR_COLOURS,
              sizes: ['1-person', '2-person', '3-person'],
              colourCount: [0, 2],
              sizeSurchargePct: 15,
              priceEur: [89, 690],
              weightGrams: [900, 4200],
              features: [
                'a 3,000 mm hydrostatic head',
                'two vestibules',
                'colour-coded poles for a fast pitch',
              ],
            },
          },
          {
            handle: 'sleeping-bags',
            name: 'Sleeping bags',
            weight: 2,
            template: {
              nouns: ['Sleeping Bag', 'Down Quilt', 'Mummy Sleeping Bag'],
              brands: ['Fjellgard', 'Wildreach'],
              materials: ['goose down', 'synthetic insulation'],
              colours: OUTDOOR_COLOURS,
              sizes: ['Regular', 'Long'],
              colourCount: [0, 2],
              sizeSurchargePct: 15,
              priceEur: [69, 480],
              weightGrams: [600, 1800],
              features: ['a comfort rating of -5 °C', 'a draft collar', 'a two-way zip'],
            },
          },
          {
            handle: 'camp-stoves',
            name: 'Stoves',
            weight: 2,
            template: {
              nouns: ['Camp Stove', 'Canister Stove', 'Cook System'],
              brands: ['Wildreach', 'Ferro'],
              materials: ['titanium', 'hard-anodised aluminium'],
              colours: ['Titanium', 'Orange', 'Black'],
              colourCount: [0, 1],
              priceEur: [29, 189],
              weightGrams: [80, 900],
              features: [
                'a burner that boils a litre in 3 minutes',
                'piezo ignition',
                'a wind-shielded burner',
              ],
            },
          },
        ],
      },
      {
        handle: 'cycling',
        name: 'Cycling',
        children: [
          {
            handle: 'bike-helmets',
            name: 'Helmets',
            weight: 2,
            template: {
              nouns: ['Road Helmet', 'Commuter Helmet', 'MTB Helmet'],
              brands: ['Velox', 'Kinetic'],
              materials: ['in-mould EPS', 'MIPS liner'],
              colours: OUTDOOR_COLOURS,
              sizes: ['S', 'M', 'L'],
              colourCount: [1, 3],
              priceEur: [39, 260],
              weightGrams: [240, 420],
              features: ['18 vents', 'an integrated rear light', 'a magnetic buckle'],
            },
          },
          {
            handle: 'bike-lights',
            name: 'Lights',
            weight: 2,
            template: {
              nouns: ['Front Light', 'Rear Light', 'Light Set'],
              brands: ['Velox', 'Ampere'],
              materials: ['aluminium', 'polycarbonate'],
              colours: ['Black'],
              colourCount: [0, 0],
              priceEur: [15, 140],
              weightGrams: [40, 220],
              features: [
                'a USB-C rechargeable battery',
                'StVZO approval for German roads',
                'an 800-lumen beam',
              ],
            },
          },
        ],
      },
      {
        handle: 'hiking',
        name: 'Hiking',
        children: [
          {
            handle: 'backpacks',
            name: 'Backpacks',
            weight: 4,
            template: {
              nouns: ['Hiking Backpack', 'Daypack', 'Trekking Pack'],
              brands: ['Wildreach', 'Fjellgard', 'Basecamp Supply'],
              materials: ['recycled ripstop nylon', 'waxed canvas', 'X-Pac'],
              colours: OUTDOOR_COLOURS,
              sizes: ['20 L', '30 L', '45 L'],
              colourCount: [1, 3],
              sizeSurchargePct: 15,
              priceEur: [45, 290],
              weightGrams: [500, 1900],
              features: [
                'a ventilated back panel',
                'hip-belt pockets',
                'a rain cover',
                'room for a hydration bladder',
              ],
            },
          },
          {
            handle: 'trekking-poles',
            name: 'Trekking poles',
            weight: 1,
            template: {
              nouns: ['Trekking Poles', 'Folding Trail Poles'],
              brands: ['Wildreach', 'Fjellgard'],
              materials: ['carbon fibre', '7075 aluminium'],
              colours: ['Black', 'Orange', 'Slate'],
              colourCount: [0, 2],
              priceEur: [39, 180],
              weightGrams: [380, 560],
              features: ['cork grips', 'flick-lock adjustment', 'tungsten tips'],
            },
          },
        ],
      },
    ],
  },
];

export const COLLECTIONS = [
  { handle: 'new-arrivals', title: 'New arrivals', description: 'Just landed: the newest gear in the shop.' },
  {
    handle: 'summer-sale',
    title: 'Summer sale',
    description: 'Outdoor gear, tees and trainers at summer prices.',
  },
  { handle: 'bestsellers', title: 'Bestsellers', description: 'What other customers buy most.' },
] as const;

/** Model names: brand + model + noun makes a title, e.g. "Stridewell Tempo 3 Running Shoe". */
export const MODEL_NAMES = [
  'Tempo',
  'Aero',
  'Nimbus',
  'Vector',
  'Summit',
  'Harbor',
  'Atlas',
  'Cirrus',
  'Drift',
  'Ember',
  'Fjord',
  'Glide',
  'Halo',
  'Ion',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Nova',
  'Orbit',
  'Pioneer',
  'Quill',
  'Ridge',
  'Solstice',
  'Terra',
  'Umbra',
  'Vista',
  'Willow',
  'Zephyr',
  'Alder',
  'Basalt',
  'Cobalt',
  'Dune',
  'Echo',
  'Flint',
  'Granite',
  'Heron',
  'Iris',
  'Jasper',
  'Koa',
  'Lark',
  'Moss',
  'Nordic',
  'Onyx',
  'Pine',
  'Quartz',
  'Rowan',
  'Sierra',
  'Tundra',
  'Vale',
] as const;

/** Leaves in tree order, each with its path of handles (root first). */
export interface Leaf {
  node: CategoryNode & { template: LeafTemplate };
  path: string[];
}

export function leavesOf(tree: CategoryNode[], path: string[] = []): Leaf[] {
  return tree.flatMap((node) =>
    node.template
      ? [{ node: node as Leaf['node'], path: [...path, node.handle] }]
      : leavesOf(node.children ?? [], [...path, node.handle]),
  );
}
